// Two pages, one build: the counselor console at / and the avatar client at /avatar.
// Output goes straight into the server's web root, which is never committed (see .gitignore).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { resolve, join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = resolve(here, '../src/HikiConsult.Server/wwwroot');

// Writes x.br and x.gz next to each fingerprinted asset once at build time, so the server sends them without
// compressing per request (src/HikiConsult.Server/Web/PrecompressedAssets.cs).
function precompress() {
  return {
    name: 'hikiconsult-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = join(options.dir ?? outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const raw = readFileSync(join(dir, name));
        const br = brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(join(dir, `${name}.br`), br);
        if (gz.length < raw.length) writeFileSync(join(dir, `${name}.gz`), gz);
      }
    },
  };
}

export default defineConfig({
  root: resolve(here, 'src'),
  base: '/',
  // favicon.svg, served as is (and as /favicon.ico by the server).
  publicDir: resolve(here, 'public'),
  plugins: [precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        console: resolve(here, 'src/index.html'),
        avatar: resolve(here, 'src/avatar/index.html'),
      },
    },
  },
  server: {
    // `npm run dev` proxies the API and hubs to a locally running server.
    proxy: {
      '/api': 'http://localhost:5080',
      '/hubs': { target: 'http://localhost:5080', ws: true },
      '/health': 'http://localhost:5080',
    },
  },
});
