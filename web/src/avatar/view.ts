// Rendering of the avatar page. A screen change or a language change rebuilds the page, keeping the draft, the
// focused control (and its caret) and the list's scroll position; new events only add or replace their own items,
// so nothing is read out twice (the one live region is the announcer's).
import { $, clear, formatDateTime, formatTime, h } from '../shared/dom';
import { SvgAvatar, Looks, lookById } from '../shared/avatar-svg';
import { AssessmentKind, type PairDeviceResponse, type SessionEventDto } from '../shared/contract';
import { buildAssessmentForm, findInstrument, text, type InstrumentDefinition } from '../shared/instruments';
import { ApiError } from '../shared/api';
import { icon } from '../shared/icons';
import { Languages, type Lang } from './i18n';
import { announcer, counselorAvatar, isCounselor, selfAvatar, setLang, state, view } from './state';
import { prefs, saveDevice, tabState } from './store';
import { setVoice } from './speech';
import { api, forgetDevice, isMine, loadInstruments, sendProfile, sendReaction, sendSignal, sendText, startDevice } from './connection';

const ReactionKeys = ['yes', 'no', 'ok', 'thanks', 'unsure', 'pause', 'smile', 'tired'];
const IconReactions = new Set(['smile', 'tired']);
const app = $('#app');

/** Log items by a key that changes whenever the item must look different. */
let logItems = new Map<string, HTMLLIElement>();

// ---------- keeping the client's place across rebuilds and reloads ----------
interface Place { id: string | null; start: number | null; end: number | null }

function capturePlace(): Place {
  const el = document.activeElement as HTMLElement | null;
  const id = el && el !== document.body && app.contains(el) ? el.id || null : null;
  const field = el as HTMLInputElement | null;
  const hasCaret = !!field && (field.tagName === 'TEXTAREA' || (field.tagName === 'INPUT' && field.type === 'text'));
  return { id, start: hasCaret ? field!.selectionStart : null, end: hasCaret ? field!.selectionEnd : null };
}

function restorePlace(place: Place): boolean {
  if (!place.id) return false;
  const el = document.getElementById(place.id) as HTMLInputElement | null;
  if (!el) return false;
  el.focus({ preventScroll: true });
  if (place.start !== null) el.setSelectionRange(place.start, place.end ?? place.start);
  return true;
}

// After a reload the page passes through other screens before it is back where it was: the focus and the list's
// scroll position saved by the tab are applied when their screen is back.
let focusAfterReload = tabState.focusId();
let scrollAfterReload: number | null = tabState.scrollFromBottom();

document.addEventListener('focusin', (e) => {
  const el = e.target as HTMLElement;
  if (!app.contains(el)) return;
  tabState.setFocusId(el.id || null);
  if (el.id !== focusAfterReload) focusAfterReload = null;
});

// ---------- page ----------
function render(): void {
  const place = capturePlace();
  const firstRender = !app.dataset.screen;
  const screenChanged = app.dataset.screen !== state.screen;
  const log = document.getElementById('log');
  const fromBottom = log ? log.scrollHeight - log.scrollTop - log.clientHeight : tabState.scrollFromBottom();
  clear(app);
  logItems = new Map();
  app.dataset.screen = state.screen;
  app.append(topBar());
  if (state.screen === 'pair') app.append(pairView());
  else if (state.screen === 'waiting') app.append(waitingView());
  else app.append(stageView());
  renderStatus();
  renderLog();
  renderBubble();
  renderPresence();
  const newLog = document.getElementById('log');
  if (newLog) newLog.scrollTop = newLog.scrollHeight - newLog.clientHeight - fromBottom;
  if (focusAfterReload && restorePlace({ id: focusAfterReload, start: null, end: null })) {
    focusAfterReload = null;
  } else if (screenChanged && !firstRender) {
    // A new screen is a new page to a screen reader: start at its heading.
    focusHeading();
  } else if (firstRender) {
    if (state.screen === 'pair') document.getElementById('pair-code')?.focus();
  } else {
    restorePlace(place);
  }
}

function focusHeading(): void {
  const heading = app.querySelector<HTMLElement>('main h1');
  heading?.focus({ preventScroll: true });
}

function topBar(): HTMLElement {
  const t = state.t;
  const langSel = h('select', { id: 'lang-select', class: 'lang-select', 'aria-label': t.language, onchange: (e: Event) => {
    setLang((e.target as HTMLSelectElement).value as Lang);
    render();
  } },
  Languages.map((l) => h('option', { value: l.id, lang: l.id, selected: l.id === state.lang }, l.name)));
  const paired = state.screen !== 'pair';
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', { class: 'brand-text' }, t.title)),
    h('div', { class: 'top-actions' },
      paired ? h('span', { id: 'conn', class: 'conn', role: 'img' }) : null,
      langSel,
      paired ? voiceButton() : null,
      paired ? h('button', { class: 'icon-btn', id: 'settings-btn', type: 'button', 'aria-label': t.settings, 'aria-haspopup': 'dialog', onclick: openSettings }, icon('settings')) : null));
}

function voiceButton(): HTMLButtonElement {
  const on = prefs.voiceOn();
  // A toggle keeps one name; its state is aria-pressed, and the icon shows it.
  return h('button', { class: 'icon-btn', id: 'voice-toggle', type: 'button', 'aria-pressed': String(on), 'aria-label': state.t.readAloud, title: state.t.voice, onclick: toggleVoice },
    icon(on ? 'voice-on' : 'voice-off'));
}

function toggleVoice(): void {
  setVoice(!prefs.voiceOn());
  const old = document.getElementById('voice-toggle');
  const next = voiceButton();
  old?.replaceWith(next);
  next.focus();
}

function renderStatus(): void {
  const el = document.getElementById('conn');
  if (!el) return;
  el.dataset.state = state.connection;
  const label = state.connection === 'connected' ? state.t.online : state.t.offline;
  el.title = label;
  el.setAttribute('aria-label', label);
  clear(el);
  el.append(h('span', { class: 'conn-text', 'aria-hidden': 'true' }, label));
}

// ---------- pairing ----------
function pairView(): HTMLElement {
  const t = state.t;
  const input = h('input', {
    id: 'pair-code', class: 'code-input', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', enterkeyhint: 'go',
    spellcheck: 'false', maxlength: '9', pattern: '[0-9 \\-]*', placeholder: '1234 5678', 'aria-describedby': 'pair-code-help',
    'aria-invalid': state.pairError ? 'true' : null, value: sessionStorage.getItem('hikiconsult.pair-code') ?? '',
  });
  const button = h('button', { id: 'pair-button', class: 'primary big', type: 'submit' }, t.pairButton);
  const error = h('p', { id: 'pair-error', class: 'soft-error', hidden: !state.pairError }, state.pairError);
  const showError = (message: string) => {
    state.pairError = message;
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'pair-error pair-code-help');
    announcer.say(message);
    input.focus();
  };
  if (state.pairError) input.setAttribute('aria-describedby', 'pair-error pair-code-help');
  input.addEventListener('input', () => {
    // Typed digits survive a language change; the code is single-use and short-lived, so the tab may keep it.
    sessionStorage.setItem('hikiconsult.pair-code', input.value);
  });
  const form = h('form', {
    class: 'card pair-card', novalidate: true,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const code = input.value.replace(/\D/g, '');
      if (code.length !== 8) {
        showError(t.codeTooShort);
        return;
      }
      button.disabled = true;
      button.textContent = t.pairBusy;
      try {
        const res = await api.post<PairDeviceResponse>('/api/devices/pair', { code, deviceName: deviceName() });
        state.device = res;
        saveDevice(res);
        sessionStorage.removeItem('hikiconsult.pair-code');
        state.pairError = '';
        state.screen = 'waiting';
        render();
        void startDevice();
      } catch (err) {
        button.disabled = false;
        button.textContent = t.pairButton;
        showError(err instanceof ApiError && err.status === 429 ? (err.message || t.pairFailed) : t.pairFailed);
      }
    },
  },
  h('h1', { tabindex: '-1' }, t.pairTitle),
  h('p', { class: 'lead' }, t.pairIntro),
  h('label', { class: 'code-label', for: 'pair-code' }, t.pairCode),
  h('p', { class: 'hint code-help', id: 'pair-code-help' }, t.codeHelp),
  input, error, button,
  h('p', { class: 'hint' }, t.pairHint));
  return h('main', { class: 'center' }, form);
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const kind = /iPad|Tablet|Android(?!.*Mobile)/i.test(ua) ? 'tablet' : /Mobile|iPhone|Android/i.test(ua) ? 'phone' : 'computer';
  return `Avatar app (${kind})`;
}

// ---------- waiting ----------
function waitingView(): HTMLElement {
  const t = state.t;
  const session = state.session;
  let message: string;
  if (state.endedNotice) message = t.ended;
  else if (!session) message = t.waitingNoSession;
  else if (session.scheduledAt && Date.parse(session.scheduledAt) > Date.now() + 60000) {
    const when = new Date(session.scheduledAt);
    const sameDay = when.toDateString() === new Date().toDateString();
    message = t.waitingScheduled.replace('{time}', sameDay ? formatTime(session.scheduledAt, state.lang) : formatDateTime(session.scheduledAt, state.lang));
  } else message = t.waitingSoon;
  selfAvatar.root.setAttribute('aria-label', t.yourAvatar);
  return h('main', { class: 'waiting', id: 'waiting-room', dataset: { sessionId: session?.id ?? '' } },
    h('div', { class: 'waiting-avatar' }, selfAvatar.root),
    h('section', { class: 'card waiting-card' },
      h('h1', { tabindex: '-1' }, state.endedNotice ? t.endedTitle : t.waitingTitle),
      h('p', { class: 'lead', id: 'waiting-message' }, message),
      state.endedNotice ? null : h('p', { class: 'hint' }, t.waitingHint),
      h('button', { class: 'secondary big', id: 'waiting-settings', type: 'button', 'aria-haspopup': 'dialog', onclick: openSettings }, `${t.nickname} · ${t.look}`)));
}

// ---------- the conversation ----------
function stageView(): HTMLElement {
  const t = state.t;
  const input = h('textarea', {
    id: 'message-input', class: 'message-input', rows: '1', maxlength: '4000', placeholder: t.writeHere, 'aria-label': t.writeHere,
    enterkeyhint: 'send', value: tabState.draft(),
  });
  input.value = tabState.draft();
  input.addEventListener('input', () => tabState.setDraft(input.value));
  const form = h('form', {
    class: 'composer',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const v = input.value;
      if (!v.trim()) return;
      input.value = '';
      tabState.setDraft('');
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
  counselorAvatar.root.setAttribute('aria-label', t.counselorAvatar);
  const log = h('ol', { id: 'log', class: 'log', 'aria-label': t.messages, tabindex: '0' });
  log.addEventListener('scroll', () => tabState.setScrollFromBottom(log.scrollHeight - log.scrollTop - log.clientHeight), { passive: true });
  return h('main', { class: 'stage', id: 'stage', dataset: { sessionId: state.session?.id ?? '' } },
    h('h1', { class: 'sr-only', tabindex: '-1' }, t.conversation),
    h('section', { class: 'avatar-pane', 'aria-label': t.counselor },
      h('p', { class: 'presence', id: 'presence' }),
      h('div', { class: 'avatar-row' },
        h('div', { class: 'avatar-frame' }, counselorAvatar.root),
        h('div', { id: 'speech-bubble', class: 'speech-bubble', hidden: true }))),
    h('section', { class: 'talk-pane', 'aria-label': t.messages },
      log,
      h('div', { class: 'reactions', role: 'group', 'aria-label': t.reactionsLabel },
        ReactionKeys.map((k) => h('button', {
          class: `reaction${IconReactions.has(k) ? ' icon-reaction' : ''}`, type: 'button', dataset: { reaction: k },
          'aria-label': IconReactions.has(k) ? t.reactions[k] : null, onclick: () => void sendReaction(k),
        }, IconReactions.has(k) ? icon(k) : t.reactions[k]))),
      form));
}

function renderBubble(): void {
  const el = document.getElementById('speech-bubble');
  if (!el) return;
  el.hidden = !state.bubbleText;
  el.textContent = state.bubbleText;
}

function renderPresence(): void {
  const el = document.getElementById('presence');
  if (!el) return;
  const c = state.participants.find((p) => isCounselor(p.role));
  const here = !!c?.present;
  el.dataset.present = String(here);
  el.textContent = here ? `${state.t.counselorHere}${c?.displayName ? ` · ${c.displayName}` : ''}` : state.t.counselorAway;
}

function renderLog(): void {
  const log = document.getElementById('log');
  if (!log) return;
  const follow = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  const wanted: HTMLLIElement[] = [];
  const next = new Map<string, HTMLLIElement>();
  const take = (key: string, make: () => HTMLLIElement | null) => {
    const item = logItems.get(key) ?? make();
    if (!item) return;
    item.dataset.key = key;
    next.set(key, item);
    wanted.push(item);
  };
  for (const ev of state.events) {
    const done = ev.kind === AssessmentKind && state.completedRequests.has(String((ev.body as Record<string, unknown>)?.requestId ?? ''));
    take(`e${ev.seq}${done ? 'd' : ''}${ev.kind === AssessmentKind && state.instruments ? 'i' : ''}`, () => logItem(ev));
  }
  let mineAdded = false;
  for (const { p, failed } of state.pending.values()) {
    const key = `p${p.clientMsgId}${failed ? 'f' : ''}`;
    take(key, () => {
      const item = mineItem(p.kind, p.body as Record<string, any>, undefined);
      if (!item) return null;
      // Something the client just sent and sees (not a profile or presence signal): show it.
      mineAdded = true;
      item.classList.add(failed ? 'failed' : 'pending');
      item.dataset.clientMsgId = p.clientMsgId;
      item.append(h('span', { class: 'status' }, failed ? state.t.failed : state.t.sending));
      return item;
    });
  }
  // Move only what moved: unchanged items (and the focus inside them) stay in place.
  wanted.forEach((item, i) => {
    if (log.children[i] !== item) log.insertBefore(item, log.children[i] ?? null);
  });
  while (log.children.length > wanted.length) log.lastElementChild!.remove();
  logItems = next;
  if (scrollAfterReload !== null && !state.replaying && state.events.length) {
    log.scrollTop = log.scrollHeight - log.clientHeight - scrollAfterReload;
    scrollAfterReload = null;
  } else if (follow || mineAdded) log.scrollTop = log.scrollHeight;
}

function meta(who: string, at: string | undefined): HTMLElement {
  const time = formatTime(at, state.lang);
  return h('span', { class: 'who' }, who, time ? h('time', { datetime: at ?? '' }, ` · ${time}`) : null);
}

function mineItem(kind: string, b: Record<string, any>, at: string | undefined): HTMLLIElement | null {
  const t = state.t;
  // "You" is for screen readers; sighted readers see the side and the colour.
  const you = h('span', { class: 'sr-only' }, `${t.you}${at ? ` · ${formatTime(at, state.lang)}` : ''}: `);
  if (kind === 'text') return h('li', { class: 'msg mine' }, you, h('span', { class: 'bubble' }, String(b.text ?? '')));
  if (kind === 'signal' && b.name === 'reaction') {
    const key = String(b.value);
    return h('li', { class: 'msg mine reaction-msg' }, you,
      h('span', { class: 'chip' }, IconReactions.has(key) ? icon(key, t.reactions[key]) : (t.reactions[key] ?? key)));
  }
  return null;
}

function logItem(ev: SessionEventDto): HTMLLIElement | null {
  const t = state.t;
  const b = (ev.body ?? {}) as Record<string, any>;
  const who = ev.sender.displayName || t.counselor;
  let li: HTMLLIElement | null = null;
  if (isMine(ev)) {
    li = mineItem(ev.kind, b, ev.at);
  } else if (ev.kind === 'text' && isCounselor(ev.sender.role)) {
    li = h('li', { class: 'msg theirs' }, meta(who, ev.at), h('span', { class: 'bubble' }, String(b.text ?? '')));
  } else if (ev.kind === 'speak') {
    li = h('li', { class: 'msg theirs spoken' },
      h('span', { class: 'who' }, who, ' ', icon('speak', t.spoken), formatTime(ev.at, state.lang) ? h('time', { datetime: ev.at }, ` · ${formatTime(ev.at, state.lang)}`) : null),
      h('span', { class: 'bubble' }, String(b.text ?? '')));
  } else if (ev.kind === AssessmentKind) {
    li = assessmentRequestItem(b);
  }
  if (li) {
    li.dataset.seq = String(ev.seq);
    li.dataset.kind = ev.kind;
  }
  return li;
}

function assessmentRequestItem(b: Record<string, any>): HTMLLIElement {
  const t = state.t;
  const requestId = String(b.requestId ?? '');
  const instrumentKey = String(b.instrument ?? '');
  const def = state.instruments ? findInstrument(state.instruments, instrumentKey) : undefined;
  const name = def?.name ?? instrumentKey.toUpperCase();
  if (state.completedRequests.has(requestId)) {
    return h('li', { class: 'msg notice done' }, h('span', { class: 'bubble' }, icon('check', t.done), ` ${name}`));
  }
  return h('li', { class: 'msg notice assessment-request', dataset: { requestId, instrument: instrumentKey } },
    h('span', { class: 'bubble' }, t.assessmentAsk.replace('{name}', name),
      h('span', { class: 'row' },
        h('button', { class: 'primary', type: 'button', id: `assessment-open-${requestId}`, 'aria-haspopup': 'dialog', onclick: () => void openAssessment(instrumentKey, requestId) }, t.assessmentStart))));
}

// ---------- dialogs ----------
let dialogCount = 0;

/** A modal dialog named by its heading; focus stays inside while open and goes back to the opener after. */
function dialog(title: string, body: Node, actions: HTMLElement[], id: string): HTMLDialogElement {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `${id}-title-${++dialogCount}`;
  const d = h('dialog', { class: 'sheet', id, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title), body, h('div', { class: 'row end' }, actions)) as HTMLDialogElement;
  d.addEventListener('close', () => {
    d.remove();
    const back = opener?.id ? document.getElementById(opener.id) : opener;
    if (back && back.isConnected) back.focus();
  });
  document.body.append(d);
  d.showModal();
  return d;
}

function openSettings(): void {
  const t = state.t;
  const name = h('input', { id: 'nickname-input', class: 'text-input', maxlength: '40', value: prefs.nickname(), autocomplete: 'nickname', 'aria-describedby': 'nickname-hint' });
  let chosen = selfAvatar.root.dataset.look ?? 'sky';
  const options: HTMLButtonElement[] = [];
  const choose = (look: string, focus: boolean) => {
    chosen = look;
    for (const o of options) {
      const on = o.dataset.look === chosen;
      o.setAttribute('aria-checked', String(on));
      o.tabIndex = on ? 0 : -1;
      if (on && focus) o.focus();
    }
  };
  const looks = h('div', { class: 'look-grid', role: 'radiogroup', 'aria-labelledby': 'look-label' },
    Looks.filter((l) => l.id !== 'counselor').map((l) => {
      const preview = new SvgAvatar(l);
      preview.root.setAttribute('aria-hidden', 'true');
      preview.root.removeAttribute('role');
      preview.setExpression('happy', 0.4);
      const btn = h('button', {
        type: 'button', class: 'look-option', role: 'radio', 'aria-checked': String(l.id === chosen), tabindex: l.id === chosen ? '0' : '-1',
        'aria-label': t.lookNames[l.id] ?? l.id, dataset: { look: l.id },
      }, preview.root);
      btn.addEventListener('click', () => choose(l.id, false));
      options.push(btn);
      return btn;
    }));
  // Arrow keys move between looks, as in any radio group.
  looks.addEventListener('keydown', (e) => {
    const i = options.findIndex((o) => o.dataset.look === chosen);
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    choose(options[(i + step + options.length) % options.length].dataset.look!, true);
  });
  const voice = h('input', { type: 'checkbox', id: 'voice-input', checked: prefs.voiceOn() });
  const body = h('div', { class: 'settings' },
    h('label', { for: 'nickname-input' }, t.nickname), name, h('p', { class: 'hint', id: 'nickname-hint' }, t.nicknameHint),
    h('p', { class: 'field-label', id: 'look-label' }, t.look), looks,
    h('label', { class: 'check' }, voice, ' ', t.voice),
    h('button', { type: 'button', id: 'forget-device', class: 'link danger', onclick: () => { if (confirm(t.forgetConfirm)) { d.close(); forgetDevice(false); } } }, t.forget));
  const done = h('button', { class: 'primary big', id: 'settings-done', type: 'button' }, t.save);
  const d = dialog(t.settings, body, [done], 'settings');
  done.addEventListener('click', () => {
    const changed = name.value.trim() !== prefs.nickname() || chosen !== selfAvatar.root.dataset.look;
    prefs.setNickname(name.value.trim());
    prefs.setLook(chosen);
    if (voice.checked !== prefs.voiceOn()) {
      setVoice(voice.checked);
      document.getElementById('voice-toggle')?.replaceWith(voiceButton());
    }
    selfAvatar.setLook(lookById(chosen));
    selfAvatar.setExpression('relaxed', 0.6);
    d.close();
    if (changed) sendProfile();
  });
}

async function openAssessment(key: string, requestId: string): Promise<void> {
  const t = state.t;
  let def: InstrumentDefinition | undefined;
  let reason = '';
  try {
    def = findInstrument(await loadInstruments(), key);
  } catch (err) {
    reason = (err as Error).message;
  }
  if (!def || !state.device) {
    // The client is told kindly, and the server's reason is there for the counselor to hear about.
    const ok = h('button', { class: 'primary', type: 'button' }, t.close);
    const d = dialog(key.toUpperCase(), h('div', {}, h('p', {}, t.assessmentUnavailable), reason ? h('p', { class: 'hint' }, reason) : null), [ok], 'assessment');
    ok.addEventListener('click', () => d.close());
    return;
  }
  const form = buildAssessmentForm(def, state.lang, { large: true });
  const msg = h('p', { class: 'soft-error', id: 'assessment-error', hidden: true });
  const submit = h('button', { class: 'primary big', id: 'assessment-submit', type: 'button', 'aria-describedby': 'assessment-error' }, t.assessmentSubmit);
  const later = h('button', { class: 'secondary big', type: 'button' }, t.assessmentLater);
  const d = dialog(text(def.title, state.lang) || def.name, h('div', {}, form.element, msg), [later, submit], 'assessment');
  later.addEventListener('click', () => d.close());
  submit.addEventListener('click', async () => {
    const { answers, missing } = form.collect();
    if (missing.length) {
      msg.textContent = `${t.assessmentMissing} (${missing.join(', ')})`;
      msg.hidden = false;
      announcer.say(msg.textContent);
      return;
    }
    submit.disabled = true;
    try {
      await api.post(`/api/clients/${encodeURIComponent(state.device!.clientId)}/assessments`, { instrument: def!.id, answers, completedBy: 'client' });
      state.completedRequests.add(requestId);
      sendSignal('assessment', requestId);
      clear(d);
      const titleId = `assessment-done-${++dialogCount}`;
      d.setAttribute('aria-labelledby', titleId);
      const close = h('button', { class: 'primary big', type: 'button', onclick: () => d.close() }, t.close);
      d.append(h('h2', { id: titleId }, t.assessmentThanks), h('div', { class: 'row end' }, close));
      close.focus();
      announcer.say(t.assessmentThanks);
      renderLog();
    } catch (err) {
      submit.disabled = false;
      msg.textContent = (err as Error).message;
      msg.hidden = false;
      announcer.say(msg.textContent);
    }
  });
}

Object.assign(view, { render, renderLog, renderStatus, renderPresence, renderBubble, openAssessment });
