// Test harness: starts the real server process on a free loopback port with a fresh data directory
// (so the demo seed loads), and launches Debian's Chromium through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const repoRoot = resolve(webDir, '..');
export const resultsDir = join(webDir, 'test-results');
const serverDir = join(repoRoot, 'src/HikiConsult.Server');
const serverDll = process.env.HIKICONSULT_SERVER_DLL ?? join(serverDir, 'bin/Debug/net10.0/HikiConsult.Server.dll');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const demo = { username: 'demo.counselor', password: 'demo-password' };

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export async function startServer() {
  if (!existsSync(serverDll)) throw new Error(`Server not built: ${serverDll} is missing (run dotnet build src/HikiConsult.Server).`);
  if (!existsSync(join(serverDir, 'wwwroot/index.html'))) throw new Error('Web pages not built: run `npm run build` in web/.');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hikiconsult-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  let proc = null;
  let exited = null;

  async function launch() {
    exited = null;
    proc = spawn('dotnet', [serverDll, '--urls', baseUrl], {
      cwd: serverDir,
      env: {
        ...process.env,
        ASPNETCORE_ENVIRONMENT: 'Development',
        DOTNET_ENVIRONMENT: 'Development',
        Storage__DataDirectory: dataDir,
        Logging__LogLevel__Default: 'Warning',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => (output = (output + d).slice(-20000)));
    proc.stderr.on('data', (d) => (output = (output + d).slice(-20000)));
    proc.on('exit', (code, signal) => (exited = code ?? signal));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exited !== null) throw new Error(`Server exited with ${exited} before it was ready:\n${output}`);
      try {
        const res = await fetch(`${baseUrl}/health`);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`Server did not become ready in 90 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function kill(signal) {
    if (exited !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(t);
  }

  await launch();
  return {
    baseUrl,
    output: () => output,
    /** Kills the process without warning (SIGKILL), as a crash would. */
    crash: () => kill('SIGKILL'),
    /** Starts it again on the same port with the same data. */
    launch,
    async stop() {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage });
}

/** REST call as a signed-in user, for set-up and for checks the UI cannot show. */
export async function apiLogin(baseUrl, user = demo) {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(user) });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return (await res.json()).accessToken;
}
