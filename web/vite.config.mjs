// Two pages, one build: the counselor console at / and the avatar client at /avatar.
// Output goes straight into the server's web root, which is never committed (see .gitignore).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = resolve(here, '../src/HikiConsult.Server/wwwroot');

export default defineConfig({
  root: resolve(here, 'src'),
  base: '/',
  publicDir: false,
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
