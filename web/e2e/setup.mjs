// Set-up through the REST API for the accessibility and layout tests: a client with consent, a paired avatar
// device (its token goes into each browser context's localStorage), and optionally an open session.
import { apiLogin } from './harness.mjs';

export async function call(baseUrl, token, method, path, body) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A new client with consent and a paired avatar device; with `session`, an open session too. */
export async function pairedClient(baseUrl, { alias, language = 'en', session = false }) {
  const token = await apiLogin(baseUrl);
  const client = await call(baseUrl, token, 'POST', '/api/clients', { alias, language, timeZone: 'Asia/Tokyo' });
  await call(baseUrl, token, 'POST', `/api/clients/${client.id}/consents`, { scope: 'remote sessions via avatar app' });
  const { code } = await call(baseUrl, token, 'POST', `/api/clients/${client.id}/pairing-codes`, { kind: 'avatar' });
  const device = await call(baseUrl, null, 'POST', '/api/devices/pair', { code, deviceName: 'Avatar app (e2e)' });
  const s = session ? await call(baseUrl, token, 'POST', '/api/sessions', { clientId: client.id, familyOnly: false }) : null;
  return { token, client, device, sessionId: s?.id ?? null };
}

/** A fresh pairing code for a client (for the pairing screen). */
export async function pairingCode(baseUrl, token, clientId) {
  return (await call(baseUrl, token, 'POST', `/api/clients/${clientId}/pairing-codes`, { kind: 'avatar' })).code;
}

/** Browser context options: a phone is touch with DPR 2, as the issue measured. */
export function contextOptions({ width, height, lang = 'en', scheme = 'light', reducedMotion = 'no-preference' }) {
  const phone = width <= 768;
  return {
    viewport: { width, height },
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: width <= 480,
    hasTouch: phone,
    locale: { en: 'en-US', ja: 'ja-JP', nl: 'nl-NL' }[lang],
    colorScheme: scheme,
    reducedMotion,
  };
}

/** Puts the device token (and the language) into the context's storage before any page script runs. */
export async function useDevice(context, device, lang) {
  await context.addInitScript(([d, l]) => {
    if (sessionStorage.getItem('e2e.seeded')) return;
    sessionStorage.setItem('e2e.seeded', '1');
    localStorage.setItem('hikiconsult.device', JSON.stringify(d));
    if (l) localStorage.setItem('hikiconsult.lang', l);
  }, [device, lang]);
}

/** Collects script errors and CSP violations reported by Chromium. */
export function watchPage(page, name, problems) {
  page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`${name}: ${m.text()}`);
  });
}
