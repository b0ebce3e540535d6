// Browser hardening and static-asset delivery, checked over real HTTP against the real server: security headers
// on pages and API, no caching of clinical data or HTML, precompressed fingerprinted assets cached for a year.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { apiLogin, startServer } from './harness.mjs';

/** Raw GET (no automatic decompression, unlike fetch), so the encoding on the wire can be checked. */
function rawGet(url, headers = {}) {
  return new Promise((res, rej) => {
    request(url, { headers }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
    }).on('error', rej).end();
  });
}

function assertHardened(h, what) {
  const csp = h['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'self'/, `${what}: CSP default-src`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: scripts only from this origin, no 'unsafe-inline'`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: nothing unsafe`);
  assert.match(csp, /connect-src 'self'/, `${what}: hubs and REST only to this origin`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: never framed`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
}

describe('response headers over HTTP', { timeout: 120_000 }, () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('pages are hardened and never cached', async () => {
    for (const path of ['/', '/avatar', '/avatar/']) {
      const r = await rawGet(server.baseUrl + path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers['content-type'], /text\/html/, path);
      assertHardened(r.headers, path);
      assert.equal(r.headers['cache-control'], 'no-store', `${path}: HTML is not cached`);
      assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP in Development');
    }
  });

  it('API answers with clinical data are hardened and no-store', async () => {
    const token = await apiLogin(server.baseUrl);
    const r = await rawGet(`${server.baseUrl}/api/clients`, { Authorization: `Bearer ${token}` });
    assert.equal(r.status, 200);
    assertHardened(r.headers, '/api/clients');
    assert.equal(r.headers['cache-control'], 'no-store');
    const refused = await rawGet(`${server.baseUrl}/api/clients`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['cache-control'], 'no-store', 'errors too');
  });

  it('scripts and styles are fingerprinted, precompressed (brotli, gzip) and cached for a year', async () => {
    const html = (await rawGet(`${server.baseUrl}/avatar`)).body.toString();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `script and style linked: ${assets}`);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=/, 'no inline style attribute');
    for (const path of assets) {
      assert.match(path, /-[A-Za-z0-9_-]{8,}\.(js|css)$/, `${path} carries a content hash`);
      const plain = await rawGet(server.baseUrl + path, { 'Accept-Encoding': 'identity' });
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      assertHardened(plain.headers, path);
      const br = await rawGet(server.baseUrl + path, { 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(br.headers['content-encoding'], 'br', `${path} in brotli`);
      assert.match(br.headers.vary ?? '', /Accept-Encoding/i);
      assert.ok(br.body.length < plain.body.length / 2, `${path}: ${br.body.length} < ${plain.body.length} / 2`);
      assert.deepEqual(brotliDecompressSync(br.body), plain.body, `${path}: the brotli copy is the same file`);
      const gz = await rawGet(server.baseUrl + path, { 'Accept-Encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip', `${path} in gzip`);
      assert.deepEqual(gunzipSync(gz.body), plain.body, `${path}: the gzip copy is the same file`);
    }
    const missing = await rawGet(`${server.baseUrl}/assets/none-12345678.js`);
    assert.equal(missing.status, 404);
  });

  it('there is a favicon', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const r = await rawGet(server.baseUrl + path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers['content-type'], /image\/svg\+xml/, path);
      assert.match(r.body.toString(), /<svg/, path);
    }
  });
});
