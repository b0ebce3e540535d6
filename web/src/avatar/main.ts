// Avatar client: the client's side of a session. Pair once, wait calmly, see the counselor as an avatar,
// answer by text or one-tap reactions, fill in a questionnaire when asked. No camera, no microphone.
import '../shared/avatar.css';
import './avatar.css';
import { Api, ApiError, asList } from '../shared/api';
import { $, clear, formatDateTime, formatTime, h } from '../shared/dom';
import { SvgAvatar, Looks, lookById } from '../shared/avatar-svg';
import { HubClient, SessionChannel, type PendingMessage } from '../shared/hub';
import { AssessmentKind, Hub, OpenStates, type PairDeviceResponse, type ParticipantDto, type SessionDto, type SessionEventDto } from '../shared/contract';
import { buildAssessmentForm, findInstrument, text, type InstrumentDefinition } from '../shared/instruments';
import { Languages, Strings, detectLanguage, type Lang } from './i18n';

const KEY = {
  device: 'hikiconsult.device',
  nickname: 'hikiconsult.nickname',
  look: 'hikiconsult.look',
  voice: 'hikiconsult.voice',
  lang: 'hikiconsult.lang',
};

const CounselorRoles = new Set(['counselor', 'supervisor', 'admin']);
const ReactionKeys = ['yes', 'no', 'ok', 'thanks', 'unsure', 'pause', 'smile', 'tired'];

let lang: Lang = detectLanguage();
let t = Strings[lang];
const app = $('#app');

function loadDevice(): PairDeviceResponse | null {
  try {
    const d = JSON.parse(localStorage.getItem(KEY.device) ?? 'null') as PairDeviceResponse | null;
    return d && d.accessToken ? d : null;
  } catch {
    return null;
  }
}

let device = loadDevice();
const api = new Api(() => device?.accessToken ?? null, () => forgetDevice(true));

function setLang(l: Lang): void {
  lang = l;
  t = Strings[l];
  localStorage.setItem(KEY.lang, l);
  document.documentElement.lang = l;
  render();
}
document.documentElement.lang = lang;

// ---------- state ----------
type Screen = 'pair' | 'waiting' | 'stage';
let screen: Screen = device ? 'waiting' : 'pair';
let pairError = '';
let session: SessionDto | null = null;
let participants: ParticipantDto[] = [];
let endedNotice = false;
let hub: HubClient | null = null;
let channel: SessionChannel | null = null;
let replaying = true;
let metCounselor = false;
let pollTimer: number | undefined;
let connection = 'connecting';
let instruments: InstrumentDefinition[] | null = null;
const events: SessionEventDto[] = [];
const pending = new Map<string, { p: PendingMessage; failed?: boolean }>();
const completedRequests = new Set<string>();

const counselorAvatar = new SvgAvatar(lookById('counselor'), { label: 'counselor avatar' });
counselorAvatar.root.id = 'counselor-avatar';
const selfAvatar = new SvgAvatar(lookById(localStorage.getItem(KEY.look)), { label: 'your avatar' });
selfAvatar.root.id = 'self-avatar';
selfAvatar.setExpression('relaxed', 0.6);

let bubbleText = '';
let bubbleTimer: number | undefined;

// ---------- speech ----------
function voiceOn(): boolean {
  return localStorage.getItem(KEY.voice) !== 'off';
}

function speak(textToSay: string, voice?: string): void {
  bubbleText = textToSay;
  renderBubble();
  window.clearTimeout(bubbleTimer);
  const fallbackMs = Math.min(9000, 1200 + textToSay.length * 70);
  const finish = () => {
    counselorAvatar.setSpeaking(false);
    window.clearTimeout(bubbleTimer);
    // The bubble stays readable for a while after speech; it is not a timer the client must beat.
    bubbleTimer = window.setTimeout(() => {
      bubbleText = '';
      renderBubble();
    }, 20000);
  };
  counselorAvatar.setSpeaking(true);
  const synth = window.speechSynthesis;
  if (voiceOn() && synth && typeof SpeechSynthesisUtterance !== 'undefined') {
    try {
      synth.cancel();
      const u = new SpeechSynthesisUtterance(textToSay);
      u.lang = voice && /^[a-z]{2}(-|$)/i.test(voice) ? voice : { en: 'en-US', ja: 'ja-JP', nl: 'nl-NL' }[lang];
      u.rate = 0.95;
      u.onend = finish;
      u.onerror = finish;
      synth.speak(u);
      // Some browsers have no voices and never fire onend: stop the mouth anyway.
      window.setTimeout(() => counselorAvatar.root.dataset.speaking === 'true' && finish(), fallbackMs + 4000);
      return;
    } catch {
      /* fall through to the silent version */
    }
  }
  window.setTimeout(finish, fallbackMs);
}

// ---------- events from the session ----------
function isMine(ev: SessionEventDto): boolean {
  return !CounselorRoles.has(ev.sender.role) && ev.sender.role !== 'system';
}

function onEvent(ev: SessionEventDto): void {
  insertSorted(events, ev);
  if (CounselorRoles.has(ev.sender.role)) metCounselor = true;
  const live = !replaying;
  const b = (ev.body ?? {}) as Record<string, any>;
  switch (ev.kind) {
    case 'expression':
      counselorAvatar.setExpression(String(b.name ?? 'neutral'), Number(b.weight ?? 1));
      break;
    case 'gesture':
      if (live) counselorAvatar.playGesture(String(b.name ?? ''));
      break;
    case 'gaze':
      counselorAvatar.setGaze(String(b.target ?? 'client'));
      break;
    case 'speak':
      if (live) speak(String(b.text ?? ''), b.voice ? String(b.voice) : undefined);
      break;
    case 'signal':
      if (isMine(ev) && b.name === 'assessment') completedRequests.add(String(b.value));
      break;
  }
  renderLog();
}

function insertSorted(list: SessionEventDto[], ev: SessionEventDto): void {
  let i = list.length;
  while (i > 0 && list[i - 1].seq > ev.seq) i--;
  list.splice(i, 0, ev);
}

function onState(state: string, ps: ParticipantDto[]): void {
  app.dataset.sessionState = state;
  participants = ps;
  if (!OpenStates.has(state)) {
    endedNotice = true;
    void leaveSession();
    return;
  }
  const counselorPresent = ps.some((p) => CounselorRoles.has(p.role) && p.present);
  // Once the conversation has started it stays on screen, even if the counselor's connection blinks.
  if (counselorPresent) metCounselor = true;
  const next: Screen = metCounselor ? 'stage' : 'waiting';
  if (next !== screen) {
    screen = next;
    render();
  } else {
    renderPresence();
  }
}

async function leaveSession(): Promise<void> {
  const ch = channel;
  channel = null;
  session = null;
  events.length = 0;
  pending.clear();
  screen = 'waiting';
  render();
  await ch?.leave();
  schedulePoll(15000);
}

// ---------- connection and session discovery ----------
async function startDevice(): Promise<void> {
  if (!device) return;
  if (!hub) {
    hub = new HubClient(Hub.avatar, () => device?.accessToken ?? null, () => forgetDevice(true));
    hub.onStatus((s) => {
      connection = s;
      renderStatus();
    });
    void hub.start();
  }
  await findSession();
}

function schedulePoll(ms: number): void {
  window.clearTimeout(pollTimer);
  pollTimer = window.setTimeout(() => void findSession(), ms);
}

async function findSession(): Promise<void> {
  if (!device || channel) return;
  let sessions: SessionDto[] = [];
  try {
    sessions = asList<SessionDto>(await api.get('/api/devices/me/sessions'), 'sessions');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    schedulePoll(20000);
    return;
  }
  const open = sessions.filter((s) => OpenStates.has(s.state));
  const rank = (s: SessionDto) => (s.state === 'active' ? 0 : s.state === 'waiting' ? 1 : 2);
  open.sort((a, b) => rank(a) - rank(b) || (Date.parse(a.scheduledAt ?? '') || 0) - (Date.parse(b.scheduledAt ?? '') || 0));
  const next = open[0];
  if (!next) {
    session = null;
    render();
    schedulePoll(20000);
    return;
  }
  session = next;
  endedNotice = false;
  joinSession(next);
}

function joinSession(s: SessionDto): void {
  if (!hub || !device) return;
  replaying = true;
  metCounselor = false;
  events.length = 0;
  channel = new SessionChannel(hub, s.id, { id: device.deviceId, role: 'client', displayName: nickname() || t.you }, {
    event: onEvent,
    state: onState,
    pending: (p) => {
      pending.set(p.clientMsgId, { p });
      renderLog();
    },
    settled: (id, r) => {
      if (r.error) pending.set(id, { ...pending.get(id)!, failed: true });
      else pending.delete(id);
      renderLog();
    },
    joined: () => {
      if (metCounselor && screen === 'waiting' && OpenStates.has(channel?.state ?? '')) {
        screen = 'stage';
        render();
      }
      if (replaying) {
        replaying = false;
        for (const p of channel?.pendingMessages() ?? []) pending.set(p.clientMsgId, { p });
        sendProfile();
      }
      renderLog();
    },
    joinFailed: () => {
      channel = null;
      session = null;
      render();
      schedulePoll(20000);
    },
  });
  render();
}

function forgetDevice(revoked: boolean): void {
  localStorage.removeItem(KEY.device);
  device = null;
  void hub?.stop();
  hub = null;
  channel = null;
  session = null;
  window.clearTimeout(pollTimer);
  pairError = revoked ? t.pairFailed : '';
  screen = 'pair';
  render();
}

function nickname(): string {
  return localStorage.getItem(KEY.nickname) ?? '';
}

function sendProfile(): void {
  const value = JSON.stringify({ nickname: nickname(), look: selfAvatar.root.dataset.look });
  channel?.send('signal', { name: 'profile', value }).catch(() => {
    /* optional: older servers may not accept profile signals */
  });
}

async function sendText(value: string): Promise<void> {
  const trimmed = value.trim();
  if (!trimmed || !channel) return;
  try {
    await channel.send('text', { text: trimmed });
  } catch {
    /* marked as not sent in the log */
  }
}

async function sendReaction(key: string): Promise<void> {
  if (!channel) return;
  try {
    await channel.send('signal', { name: 'reaction', value: key });
  } catch {
    /* marked in the log */
  }
}

// ---------- rendering ----------
function render(): void {
  clear(app);
  app.dataset.screen = screen;
  app.append(topBar());
  if (screen === 'pair') app.append(pairView());
  else if (screen === 'waiting') app.append(waitingView());
  else app.append(stageView());
  renderStatus();
  renderLog();
  renderBubble();
  renderPresence();
}

function topBar(): HTMLElement {
  const langSel = h('select', { class: 'lang-select', 'aria-label': t.language, onchange: (e: Event) => setLang((e.target as HTMLSelectElement).value as Lang) },
    Languages.map((l) => h('option', { value: l.id, selected: l.id === lang }, l.name)));
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', { class: 'brand-text' }, t.title)),
    h('div', { class: 'top-actions' },
      screen !== 'pair' ? h('span', { id: 'conn', class: 'conn' }) : null,
      langSel,
      screen !== 'pair' ? h('button', { class: 'icon-btn', id: 'voice-toggle', 'aria-pressed': String(voiceOn()), title: t.voice, onclick: toggleVoice }, voiceOn() ? '🔊' : '🔈') : null,
      screen !== 'pair' ? h('button', { class: 'icon-btn', id: 'settings-btn', title: t.settings, 'aria-label': t.settings, onclick: openSettings }, '⚙︎') : null));
}

function toggleVoice(): void {
  localStorage.setItem(KEY.voice, voiceOn() ? 'off' : 'on');
  if (!voiceOn()) window.speechSynthesis?.cancel();
  render();
}

function renderStatus(): void {
  const el = document.getElementById('conn');
  if (!el) return;
  el.dataset.state = connection;
  const label = connection === 'connected' ? t.online : t.offline;
  el.title = label;
  el.setAttribute('aria-label', label);
  clear(el);
  el.append(h('span', { class: 'conn-text' }, label));
}

function pairView(): HTMLElement {
  const input = h('input', {
    id: 'pair-code', class: 'code-input', inputmode: 'text', autocomplete: 'one-time-code', autocapitalize: 'characters',
    spellcheck: 'false', maxlength: '16', 'aria-label': t.pairCode, placeholder: '••••••',
  });
  const button = h('button', { id: 'pair-button', class: 'primary big', type: 'submit' }, t.pairButton);
  const error = h('p', { id: 'pair-error', class: 'soft-error', hidden: !pairError }, pairError);
  const form = h('form', {
    class: 'card pair-card',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const code = input.value.replace(/[\s-]/g, '').toUpperCase();
      if (!code) return;
      button.disabled = true;
      button.textContent = t.pairBusy;
      try {
        const res = await api.post<PairDeviceResponse>('/api/devices/pair', { code, deviceName: deviceName() });
        device = res;
        localStorage.setItem(KEY.device, JSON.stringify(res));
        pairError = '';
        screen = 'waiting';
        render();
        void startDevice();
      } catch (err) {
        pairError = err instanceof ApiError && err.status === 429 ? (err.message || t.pairFailed) : t.pairFailed;
        button.disabled = false;
        button.textContent = t.pairButton;
        error.textContent = pairError;
        error.hidden = false;
      }
    },
  },
  h('h1', {}, t.pairTitle),
  h('p', { class: 'lead' }, t.pairIntro),
  h('label', { class: 'code-label', for: 'pair-code' }, t.pairCode),
  input, error, button,
  h('p', { class: 'hint' }, t.pairHint));
  queueMicrotask(() => input.focus());
  return h('main', { class: 'center' }, form);
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const kind = /iPad|Tablet|Android(?!.*Mobile)/i.test(ua) ? 'tablet' : /Mobile|iPhone|Android/i.test(ua) ? 'phone' : 'computer';
  return `Avatar app (${kind})`;
}

function waitingView(): HTMLElement {
  let message: string;
  if (endedNotice) message = t.ended;
  else if (!session) message = t.waitingNoSession;
  else if (session.scheduledAt && Date.parse(session.scheduledAt) > Date.now() + 60000) {
    const when = new Date(session.scheduledAt);
    const sameDay = when.toDateString() === new Date().toDateString();
    message = t.waitingScheduled.replace('{time}', sameDay ? formatTime(session.scheduledAt, lang) : formatDateTime(session.scheduledAt, lang));
  } else message = t.waitingSoon;
  return h('main', { class: 'waiting', id: 'waiting-room', dataset: { sessionId: session?.id ?? '' } },
    h('div', { class: 'waiting-avatar' }, selfAvatar.root),
    h('section', { class: 'card waiting-card' },
      h('h1', {}, endedNotice ? t.endedTitle : t.waitingTitle),
      h('p', { class: 'lead', id: 'waiting-message' }, message),
      endedNotice ? null : h('p', { class: 'hint' }, t.waitingHint),
      h('button', { class: 'secondary big', onclick: openSettings }, `${t.nickname} · ${t.look}`)));
}

function stageView(): HTMLElement {
  const input = h('textarea', { id: 'message-input', class: 'message-input', rows: '2', maxlength: '4000', placeholder: t.writeHere, 'aria-label': t.writeHere });
  const form = h('form', {
    class: 'composer',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const v = input.value;
      input.value = '';
      void sendText(v);
      input.focus();
    },
  }, input, h('button', { id: 'send-button', class: 'primary', type: 'submit' }, t.send));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  return h('main', { class: 'stage', id: 'stage', dataset: { sessionId: session?.id ?? '' } },
    h('section', { class: 'avatar-pane' },
      h('div', { class: 'presence', id: 'presence' }),
      h('div', { class: 'avatar-frame' }, counselorAvatar.root, h('div', { id: 'speech-bubble', class: 'speech-bubble', hidden: true, 'aria-live': 'polite' }))),
    h('section', { class: 'talk-pane' },
      h('ol', { id: 'log', class: 'log', 'aria-live': 'polite' }),
      h('div', { class: 'reactions', role: 'group', 'aria-label': t.reactionsLabel },
        ReactionKeys.map((k) => h('button', { class: 'reaction', dataset: { reaction: k }, onclick: () => void sendReaction(k) }, t.reactions[k]))),
      form));
}

function renderBubble(): void {
  const el = document.getElementById('speech-bubble');
  if (!el) return;
  el.hidden = !bubbleText;
  el.textContent = bubbleText;
}

function renderPresence(): void {
  const el = document.getElementById('presence');
  if (!el) return;
  const c = participants.find((p) => CounselorRoles.has(p.role));
  const here = !!c?.present;
  el.dataset.present = String(here);
  el.textContent = here ? `${t.counselorHere}${c?.displayName ? ` · ${c.displayName}` : ''}` : t.counselorAway;
}

function renderLog(): void {
  const log = document.getElementById('log');
  if (!log) return;
  clear(log);
  for (const ev of events) {
    const item = logItem(ev);
    if (item) log.append(item);
  }
  for (const { p, failed } of pending.values()) {
    const item = mineItem(p.kind, p.body as Record<string, any>);
    if (!item) continue;
    item.classList.add(failed ? 'failed' : 'pending');
    item.dataset.clientMsgId = p.clientMsgId;
    item.append(h('span', { class: 'status' }, failed ? t.failed : t.sending));
    log.append(item);
  }
  log.scrollTop = log.scrollHeight;
}

function mineItem(kind: string, b: Record<string, any>): HTMLLIElement | null {
  if (kind === 'text') return h('li', { class: 'msg mine' }, h('span', { class: 'bubble' }, String(b.text ?? '')));
  if (kind === 'signal' && b.name === 'reaction') {
    return h('li', { class: 'msg mine reaction-msg' }, h('span', { class: 'chip' }, t.reactions[String(b.value)] ?? String(b.value)));
  }
  return null;
}

function logItem(ev: SessionEventDto): HTMLLIElement | null {
  const b = (ev.body ?? {}) as Record<string, any>;
  let li: HTMLLIElement | null = null;
  if (isMine(ev)) {
    li = mineItem(ev.kind, b);
  } else if (ev.kind === 'text' && CounselorRoles.has(ev.sender.role)) {
    li = h('li', { class: 'msg theirs' }, h('span', { class: 'who' }, ev.sender.displayName || t.counselor), h('span', { class: 'bubble' }, String(b.text ?? '')));
  } else if (ev.kind === 'speak') {
    li = h('li', { class: 'msg theirs spoken' }, h('span', { class: 'who' }, `${ev.sender.displayName || t.counselor} 🔈`), h('span', { class: 'bubble' }, String(b.text ?? '')));
  } else if (ev.kind === AssessmentKind) {
    li = assessmentRequestItem(ev, b);
  }
  if (li) {
    li.dataset.seq = String(ev.seq);
    li.dataset.kind = ev.kind;
    li.title = formatTime(ev.at, lang);
  }
  return li;
}

function assessmentRequestItem(_ev: SessionEventDto, b: Record<string, any>): HTMLLIElement {
  const requestId = String(b.requestId ?? '');
  const instrumentKey = String(b.instrument ?? '');
  const def = instruments ? findInstrument(instruments, instrumentKey) : undefined;
  const name = def?.name ?? instrumentKey.toUpperCase();
  if (completedRequests.has(requestId)) {
    return h('li', { class: 'msg notice done' }, h('span', { class: 'bubble' }, `✓ ${name}`));
  }
  return h('li', { class: 'msg notice assessment-request', dataset: { requestId, instrument: instrumentKey } },
    h('span', { class: 'bubble' }, t.assessmentAsk.replace('{name}', name),
      h('span', { class: 'row' },
        h('button', { class: 'primary', onclick: () => void openAssessment(instrumentKey, requestId) }, t.assessmentStart))));
}

// ---------- dialogs ----------
function dialog(title: string, body: Node, actions: HTMLElement[], id: string): HTMLDialogElement {
  const d = h('dialog', { class: 'sheet', id },
    h('h2', {}, title), body, h('div', { class: 'row end' }, actions)) as HTMLDialogElement;
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

function openSettings(): void {
  const name = h('input', { id: 'nickname-input', class: 'text-input', maxlength: '40', value: nickname(), autocomplete: 'nickname' });
  let chosen = selfAvatar.root.dataset.look ?? 'sky';
  const looks = h('div', { class: 'look-grid', role: 'radiogroup', 'aria-label': t.look },
    Looks.filter((l) => l.id !== 'counselor').map((l) => {
      const preview = new SvgAvatar(l, { label: l.id });
      preview.setExpression('happy', 0.4);
      const btn = h('button', { type: 'button', class: 'look-option', role: 'radio', 'aria-checked': String(l.id === chosen), dataset: { look: l.id } }, preview.root);
      btn.addEventListener('click', () => {
        chosen = l.id;
        looks.querySelectorAll('.look-option').forEach((o) => o.setAttribute('aria-checked', String((o as HTMLElement).dataset.look === chosen)));
      });
      return btn;
    }));
  const voice = h('input', { type: 'checkbox', id: 'voice-input', checked: voiceOn() });
  const body = h('div', { class: 'settings' },
    h('label', { for: 'nickname-input' }, t.nickname), name, h('p', { class: 'hint' }, t.nicknameHint),
    h('p', { class: 'field-label' }, t.look), looks,
    h('label', { class: 'check' }, voice, ' ', t.voice),
    h('button', { type: 'button', class: 'link danger', onclick: () => { if (confirm(t.forgetConfirm)) { d.close(); forgetDevice(false); } } }, t.forget));
  const done = h('button', { class: 'primary big', id: 'settings-done' }, t.save);
  const d = dialog(t.settings, body, [done], 'settings');
  done.addEventListener('click', () => {
    const changed = name.value.trim() !== nickname() || chosen !== selfAvatar.root.dataset.look;
    localStorage.setItem(KEY.nickname, name.value.trim());
    localStorage.setItem(KEY.look, chosen);
    localStorage.setItem(KEY.voice, voice.checked ? 'on' : 'off');
    selfAvatar.setLook(lookById(chosen));
    selfAvatar.setExpression('relaxed', 0.6);
    d.close();
    if (changed) sendProfile();
    render();
  });
}

async function loadInstruments(): Promise<InstrumentDefinition[]> {
  if (instruments) return instruments;
  const data = await api.get<unknown>('/api/instruments');
  instruments = asList<InstrumentDefinition>(data, 'instruments');
  return instruments;
}

async function openAssessment(key: string, requestId: string): Promise<void> {
  let def: InstrumentDefinition | undefined;
  try {
    def = findInstrument(await loadInstruments(), key);
  } catch {
    def = undefined;
  }
  if (!def || !device) {
    const ok = h('button', { class: 'primary' }, t.close);
    const d = dialog(key.toUpperCase(), h('p', {}, t.assessmentUnavailable), [ok], 'assessment');
    ok.addEventListener('click', () => d.close());
    return;
  }
  const form = buildAssessmentForm(def, lang, { large: true });
  const msg = h('p', { class: 'soft-error', hidden: true });
  const submit = h('button', { class: 'primary big', id: 'assessment-submit' }, t.assessmentSubmit);
  const later = h('button', { class: 'secondary big' }, t.assessmentLater);
  const d = dialog(text(def.title, lang) || def.name, h('div', {}, form.element, msg), [later, submit], 'assessment');
  later.addEventListener('click', () => d.close());
  submit.addEventListener('click', async () => {
    const { answers, missing } = form.collect();
    if (missing.length) {
      msg.textContent = `${t.assessmentMissing} (${missing.join(', ')})`;
      msg.hidden = false;
      return;
    }
    submit.disabled = true;
    try {
      await api.post(`/api/clients/${encodeURIComponent(device!.clientId)}/assessments`, { instrument: def!.id, answers, completedBy: 'client' });
      completedRequests.add(requestId);
      channel?.send('signal', { name: 'assessment', value: requestId }).catch(() => {});
      clear(d);
      d.append(h('h2', {}, t.assessmentThanks), h('div', { class: 'row end' }, h('button', { class: 'primary big', onclick: () => d.close() }, t.close)));
      renderLog();
    } catch (err) {
      submit.disabled = false;
      msg.textContent = err instanceof ApiError && err.notAvailable ? t.assessmentUnavailable : (err as Error).message;
      msg.hidden = false;
    }
  });
}

// Tell the counselor, gently, when the page is in the background for a while (presence signal).
let visibilityTimer: number | undefined;
let lastPresence = 'here';
document.addEventListener('visibilitychange', () => {
  window.clearTimeout(visibilityTimer);
  visibilityTimer = window.setTimeout(() => {
    const now = document.hidden ? 'away' : 'here';
    if (now !== lastPresence && channel) {
      lastPresence = now;
      channel.send('signal', { name: 'presence', value: now }).catch(() => {});
    }
  }, 3000);
});

// Instruments are fetched lazily, but request cards read nicer with the instrument's name.
render();
if (device) {
  void startDevice();
  void loadInstruments().then(renderLog, () => {});
}
