// Counselor console: sign in, triage, caseload, risk alerts, client pages and the session room.
import './console.css';
import '../shared/avatar.css';
import { Api, ApiError } from '../shared/api';
import { $, clear, formatDateTime, formatTime, h } from '../shared/dom';
import { HubClient, hubErrorMessage } from '../shared/hub';
import { Hub, RiskAlertLevelText, type RiskAlertLevel, type ClientDto, type LoginResponse, type RiskAlertDto, type TriageQueueDto, type UserInfo } from '../shared/contract';
import { armAudio, chime } from '../shared/sound';
import { forgetAllStored } from '../shared/storage';
import { LanguageNames, loadError, type ConsoleContext } from './context';
import { clientPage } from './client-page';
import { sessionRoom } from './room';
import { SessionRenewal, signOutOnServer } from '../shared/session-renewal';

const app = $('#app');
const alertHost = $('#alerts');
const AUTH_KEY = 'hikiconsult.console.auth';

interface Auth { token: string; user: UserInfo; expiresAt: string; refreshToken?: string }

function loadAuth(): Auth | null {
  try {
    const a = JSON.parse(sessionStorage.getItem(AUTH_KEY) ?? 'null') as Auth | null;
    return a && (Date.parse(a.expiresAt) > Date.now() || !!a.refreshToken) ? a : null;
  } catch {
    return null;
  }
}

let auth = loadAuth();
let ctx: ConsoleContext | null = null;
let disposeView: (() => void) | null = null;
let triage: TriageQueueDto | null = null;
let triageError: unknown = null;
const alerts = new Map<string, RiskAlertDto>();
let alertsNote = '';
let chimeTimer: number | undefined;

armAudio();

// The open alerts' height, so the session room's chat fits the screen below them.
new ResizeObserver(() => document.documentElement.style.setProperty('--alerts-h', `${alertHost.offsetHeight}px`)).observe(alertHost);

const api = new Api(() => auth?.token ?? null, () => signOut('Your sign-in has ended. Please sign in again.'));

const renewal = new SessionRenewal();

/** Keeps the 15-minute access token renewed; a sign-in that cannot be renewed ends here too. */
function keepRenewed(): void {
  if (!auth) return;
  renewal.keep(auth, (res) => {
    auth = { token: res.accessToken, user: res.user, expiresAt: res.expiresAt, refreshToken: res.refreshToken };
    sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
    keepRenewed();
  }, () => signOut('Your sign-in has ended. Please sign in again.'));
}

function signOut(message = ''): void {
  renewal.stop();
  if (auth) void signOutOnServer(auth.token);
  // A shared computer keeps nothing: the sign-in and unsent message bodies go.
  forgetAllStored();
  auth = null;
  void ctx?.hub.stop();
  ctx = null;
  alerts.clear();
  renderAlerts();
  renderLogin(message);
}

// ---------- sign in ----------
function renderLogin(message = ''): void {
  disposeView?.();
  disposeView = null;
  clear(app);
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  // role="alert": a refused sign-in is read out at once, and both fields point to the reason.
  const err = h('p', { class: 'form-error', id: 'login-error', role: 'alert', hidden: !message }, message);
  const markInvalid = (invalid: boolean) => {
    for (const f of [user, pass]) {
      if (invalid) {
        f.setAttribute('aria-invalid', 'true');
        f.setAttribute('aria-describedby', 'login-error');
      } else {
        f.removeAttribute('aria-invalid');
        f.removeAttribute('aria-describedby');
      }
    }
  };
  const btn = h('button', { class: 'btn primary wide', type: 'submit', id: 'login-button' }, 'Sign in');
  app.append(h('div', { class: 'login-wrap' },
    h('form', {
      class: 'login-card', onsubmit: async (e: Event) => {
        e.preventDefault();
        btn.disabled = true;
        try {
          const res = await api.post<LoginResponse>('/api/auth/login', { username: user.value.trim(), password: pass.value });
          auth = { token: res.accessToken, user: res.user, expiresAt: res.expiresAt, refreshToken: res.refreshToken };
          sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
          start();
        } catch (ex) {
          err.textContent = ex instanceof ApiError && ex.status === 401 ? 'Unknown user name or wrong password.' : (ex as Error).message;
          err.hidden = false;
          markInvalid(true);
          btn.disabled = false;
        }
      },
    },
    h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), h('div', {}, h('h1', {}, 'HikiConsult'), h('p', {}, 'Counselor console'))),
    h('label', { for: 'username' }, 'User name'), user,
    h('label', { for: 'password' }, 'Password'), pass,
    err, btn,
    h('p', { class: 'muted small' }, 'Sessions and records shown here are special-care personal data. Sign out when you leave this screen.'))));
  user.focus();
}

// ---------- shell ----------
function start(): void {
  if (!auth) return renderLogin();
  keepRenewed();
  const hub = new HubClient(Hub.counselor, () => auth?.token ?? null, () => signOut('Your sign-in has ended. Please sign in again.'));
  ctx = {
    user: auth.user,
    api,
    hub,
    clients: new Map(),
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    toast,
  };
  hub.on(Hub.RiskAlert, (a: RiskAlertDto) => upsertAlert(a, true));
  hub.on(Hub.AlertUpdated, (a: RiskAlertDto) => upsertAlert(a, false));
  hub.on(Hub.TriageUpdated, (q: TriageQueueDto) => {
    triage = q;
    triageError = null;
    renderTriage();
  });
  hub.onStatus((s) => {
    const el = document.getElementById('link-status');
    if (el) {
      el.dataset.state = s;
      el.textContent = { connected: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline – retrying' }[s];
    }
  });
  // After every (re)connection, reload what pushes may have missed.
  hub.onConnected(() => {
    void loadAlerts();
    void loadTriage();
  });
  void hub.start();
  void loadAlerts();
  route();
}

function shell(active: string, content: HTMLElement, title: string): void {
  clear(app);
  // Each view is a new page to a screen reader: it starts at the page's heading (focused after rendering).
  const heading = h('h1', { class: 'sr-only page-title', tabindex: '-1' }, title);
  const u = ctx!.user;
  const nav = (hash: string, label: string, key: string) => h('a', { href: hash, class: active === key ? 'active' : '' }, label);
  app.append(
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'HikiConsult'),
      h('nav', { 'aria-label': 'Main' }, nav('#/', 'Overview', 'home'), nav('#/clients', 'Caseload', 'clients')),
      h('div', { class: 'who' },
        h('span', { id: 'link-status', class: 'link-status', dataset: { state: ctx!.hub.status } }, ctx!.hub.status === 'connected' ? 'Live' : 'Connecting…'),
        h('span', { class: 'user', id: 'current-user' }, `${u.displayName} · ${u.role}`),
        h('button', { class: 'btn ghost', id: 'sign-out', type: 'button', onclick: () => signOut() }, 'Sign out'))),
    h('main', { class: 'content' }, heading, content));
  heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function route(): void {
  if (!ctx) return;
  disposeView?.();
  disposeView = null;
  const hash = location.hash || '#/';
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'clients' && parts[1]) {
    const view = clientPage(ctx, parts[1]);
    shell('clients', view.element, 'Client');
    disposeView = view.dispose;
  } else if (parts[0] === 'sessions' && parts[1]) {
    const view = sessionRoom(ctx, parts[1]);
    shell('', view.element, 'Session room');
    disposeView = view.dispose;
  } else if (parts[0] === 'clients') {
    shell('clients', caseloadView(true), 'Caseload');
  } else {
    shell('home', homeView(), 'Overview');
  }
}
window.addEventListener('hashchange', route);

// ---------- overview: triage + caseload ----------
function homeView(): HTMLElement {
  const el = h('div', { class: 'home-grid' },
    h('section', { class: 'panel triage-panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Triage queue'), h('span', { class: 'badge ds' }, 'Decision support')),
      h('div', { id: 'triage' })),
    caseloadView(false));
  queueMicrotask(() => {
    renderTriage();
    void loadTriage();
  });
  return el;
}

async function loadTriage(): Promise<void> {
  if (!ctx) return;
  try {
    triage = await ctx.api.get<TriageQueueDto>('/api/triage');
    triageError = null;
  } catch (e) {
    triageError = e;
  }
  renderTriage();
}

function renderTriage(): void {
  const host = document.getElementById('triage');
  if (!host) return;
  clear(host);
  if (triageError && !triage) {
    host.append(loadError(triageError, 'The triage queue'));
    return;
  }
  if (!triage) {
    host.append(h('p', { class: 'muted' }, 'Loading…'));
    return;
  }
  if (!triage.entries.length) {
    host.append(h('p', { class: 'muted empty' }, 'No one needs priority attention right now.'));
  }
  const max = Math.max(1, ...triage.entries.map((e) => e.score));
  host.append(h('ol', { class: 'triage-list', id: 'triage-list' },
    triage.entries.map((e, i) => h('li', { class: 'triage-entry', dataset: { clientId: e.clientId } },
      h('div', { class: 'triage-rank' }, String(i + 1)),
      h('div', { class: 'triage-main' },
        h('div', { class: 'triage-top' },
          h('a', { href: `#/clients/${encodeURIComponent(e.clientId)}`, class: 'alias' }, e.clientAlias),
          h('span', { class: 'score', title: 'Priority score' }, e.score.toFixed(1)),
          meter(e.score / max)),
        h('ul', { class: 'reasons' }, e.reasons.map((r) => h('li', { dataset: { code: r.code } },
          h('span', {}, r.text), r.data ? h('span', { class: 'reason-data' }, r.data) : null,
          h('span', { class: 'reason-weight' }, `+${r.weight.toFixed(1)}`)))))))));
  host.append(h('p', { class: 'muted small' }, `${triage.label} Updated ${formatTime(triage.updatedAt)}.`));
}

// Width through the CSSOM: the CSP forbids style attributes in markup.
function meter(fraction: number): HTMLElement {
  const bar = h('span');
  bar.style.width = `${Math.round(fraction * 100)}%`;
  return h('span', { class: 'meter', 'aria-hidden': 'true' }, bar);
}

function caseloadView(full: boolean): HTMLElement {
  const list = h('div', { id: 'caseload' }, h('p', { class: 'muted' }, 'Loading…'));
  const alias = h('input', { id: 'new-client-alias', placeholder: 'Pseudonymous alias, e.g. “Blue Heron”', maxlength: '80', required: true, 'aria-label': 'Alias', 'aria-describedby': 'new-client-error' });
  const lang = h('select', { id: 'new-client-language', 'aria-label': 'Language' }, Object.entries(LanguageNames).map(([k, v]) => h('option', { value: k }, v)));
  const tz = h('input', { id: 'new-client-tz', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Tokyo', title: 'Time zone', 'aria-label': 'Time zone' });
  const err = h('p', { class: 'form-error', id: 'new-client-error', role: 'alert', hidden: true });
  const form = h('form', {
    class: 'new-client', onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const c = await ctx!.api.post<ClientDto>('/api/clients', { alias: alias.value.trim(), language: lang.value, timeZone: tz.value.trim() || null });
        ctx!.clients.set(c.id, c);
        ctx!.navigate(`#/clients/${encodeURIComponent(c.id)}`);
      } catch (ex) {
        err.textContent = (ex as Error).message;
        err.hidden = false;
      }
    },
  }, h('h3', {}, 'New client'), h('div', { class: 'inline-fields' }, alias, lang, tz, h('button', { class: 'btn primary', type: 'submit', id: 'create-client' }, 'Create')), err,
  h('p', { class: 'muted small' }, 'Use an alias, never a real name. Record consent on the client page before the first session.'));
  void loadCaseload(list);
  return h('section', { class: `panel caseload-panel${full ? ' full' : ''}` }, h('div', { class: 'panel-head' }, h('h2', {}, 'Caseload')), list, form);
}

async function loadCaseload(host: HTMLElement): Promise<void> {
  let clients: ClientDto[];
  try {
    clients = await ctx!.api.get<ClientDto[]>('/api/clients');
  } catch (e) {
    clear(host);
    host.append(loadError(e, 'The caseload'));
    return;
  }
  for (const c of clients) ctx!.clients.set(c.id, c);
  clear(host);
  if (!clients.length) {
    host.append(h('p', { class: 'muted empty' }, 'No clients assigned yet.'));
    return;
  }
  host.append(h('table', { class: 'caseload', id: 'caseload-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Alias'), h('th', {}, 'Status'), h('th', {}, 'Language'), h('th', {}, 'Devices'), h('th', {}, 'Since'))),
    h('tbody', {}, clients.map((c) => h('tr', { dataset: { clientId: c.id } },
      h('td', {}, h('a', { href: `#/clients/${encodeURIComponent(c.id)}`, class: 'alias' }, c.alias)),
      h('td', {}, h('span', { class: `status-pill s-${c.status}` }, c.status)),
      h('td', {}, LanguageNames[c.language] ?? c.language),
      h('td', {}, String(c.devices.filter((d) => !d.revoked).length)),
      h('td', { class: 'muted' }, formatDateTime(c.createdAt).split(',')[0]))))));
}

// ---------- risk alerts ----------
async function loadAlerts(): Promise<void> {
  if (!ctx) return;
  try {
    const list = await ctx.api.get<RiskAlertDto[]>('/api/alerts?status=open');
    for (const a of list) upsertAlert(a, false);
    alertsNote = '';
  } catch (e) {
    // Pushed alerts still arrive; the list is asked for again after the next (re)connection.
    alertsNote = `Open alerts could not be listed: ${(e as Error).message} Alerts raised from now on still appear here.`;
  }
  renderAlerts();
}

function upsertAlert(a: RiskAlertDto, fresh: boolean): void {
  const known = alerts.has(a.alertId);
  if (a.status === 'acknowledged') alerts.delete(a.alertId);
  else alerts.set(a.alertId, a);
  renderAlerts();
  if ((fresh && !known) || a.status === 'escalated') ring();
}

function ring(): void {
  chime();
  window.clearInterval(chimeTimer);
  // Keep reminding, gently but audibly, until every alert is acknowledged.
  chimeTimer = window.setInterval(() => {
    if (alerts.size === 0) window.clearInterval(chimeTimer);
    else chime();
  }, 20000);
}

function renderAlerts(): void {
  clear(alertHost);
  document.body.classList.toggle('has-alerts', alerts.size > 0);
  document.title = alerts.size ? `⚠ ${alerts.size} risk alert${alerts.size > 1 ? 's' : ''} · HikiConsult` : 'HikiConsult · Counselor console';
  const sorted = [...alerts.values()].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const a of sorted) {
    const note = h('input', { class: 'ack-note', placeholder: 'Note: what you are doing about it', maxlength: '2000', 'aria-label': 'Acknowledgement note' });
    const btn = h('button', { class: 'btn ack', dataset: { alertId: a.alertId } }, 'Acknowledge');
    const err = h('span', { class: 'ack-error', hidden: true });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const updated = await ctx!.hub.invoke<RiskAlertDto>(Hub.AcknowledgeAlert, a.alertId, note.value.trim());
        upsertAlert(updated, false);
      } catch (ex) {
        err.textContent = hubErrorMessage(ex);
        err.hidden = false;
        btn.disabled = false;
      }
    });
    alertHost.append(h('div', { class: `risk-alert${a.status === 'escalated' ? ' escalated' : ''}`, dataset: { alertId: a.alertId, status: a.status } },
      h('div', { class: 'risk-icon', 'aria-hidden': 'true' }, '!'),
      h('div', { class: 'risk-body' },
        h('div', { class: 'risk-title' },
          h('strong', {}, `Risk alert: ${a.clientAlias}`), ` · ${a.category.replace(/([A-Z])/g, ' $1').toLowerCase()}`,
          a.status === 'escalated' ? h('span', { class: 'escalated-tag' }, 'Escalated to supervisors') : null,
          h('span', { class: 'risk-time' }, formatTime(a.createdAt))),
        h('div', { class: 'risk-evidence' }, a.evidence.map((ev) => h('q', {}, ev))),
        // Why it fired, in words before codes: the level a screen reader reads first, then the pattern's id.
        h('div', { class: 'risk-why' },
          h('span', { class: 'risk-why-label' }, 'Level: '), h('strong', { class: 'risk-level', dataset: { level: a.level } }, RiskAlertLevelText[a.level as RiskAlertLevel] ?? a.level),
          h('span', { class: 'risk-why-label' }, ' · pattern: '), h('code', { class: 'risk-pattern' }, a.pattern)),
        h('div', { class: 'risk-source' }, `${a.label}. ${a.source}`)),
      h('div', { class: 'risk-actions' },
        a.sessionId ? h('a', { class: 'btn light', href: `#/sessions/${encodeURIComponent(a.sessionId)}` }, 'Open session') : null,
        note, btn, err)));
  }
  if (alertsNote) alertHost.append(h('p', { class: 'alerts-note' }, alertsNote));
}

function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  const t = h('div', { class: `toast ${kind}`, role: 'status' }, message);
  document.body.append(t);
  window.setTimeout(() => t.remove(), 5000);
}

if (auth) start();
else renderLogin();
