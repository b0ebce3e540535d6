// Prints the script and style each page loads first (what its HTML references, plus static imports), raw and gzip.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../src/HikiConsult.Server/wwwroot');
for (const [page, html] of [['/ (console)', 'index.html'], ['/avatar', 'avatar/index.html']]) {
  const text = readFileSync(join(root, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  let js = 0, jsGz = 0, css = 0, cssGz = 0;
  for (const ref of new Set(refs)) {
    const buf = readFileSync(join(root, ref));
    const gz = gzipSync(buf, { level: 9 }).length;
    if (ref.endsWith('.js')) { js += buf.length; jsGz += gz; } else { css += buf.length; cssGz += gz; }
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${page}: script ${kb(js)} (gzip ${kb(jsGz)}), style ${kb(css)} (gzip ${kb(cssGz)}), files: ${[...new Set(refs)].join(', ')}`);
}
