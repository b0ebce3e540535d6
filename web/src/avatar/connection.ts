// The device's link to the server: the hub connection, finding and joining the open session, sending, and what
// each incoming event changes. Rendering is left to the view; announcing new lines to the announcer.
import { Api, ApiError } from '../shared/api';
import { HubClient, SessionChannel } from '../shared/hub';
import { AssessmentKind, Hub, OpenStates, type ParticipantDto, type SessionDto, type SessionEventDto } from '../shared/contract';
import type { InstrumentDefinition } from '../shared/instruments';
import { announcer, counselorAvatar, isCounselor, selfAvatar, state, view } from './state';
import { forgetEverything, prefs } from './store';
import { speak } from './speech';

let hub: HubClient | null = null;
let channel: SessionChannel | null = null;
let pollTimer: number | undefined;

export const api = new Api(() => state.device?.accessToken ?? null, () => forgetDevice(true));

export function isMine(ev: SessionEventDto): boolean {
  return !isCounselor(ev.sender.role) && ev.sender.role !== 'system';
}

function onEvent(ev: SessionEventDto): void {
  insertSorted(state.events, ev);
  if (isCounselor(ev.sender.role)) state.metCounselor = true;
  const live = !state.replaying;
  const b = (ev.body ?? {}) as Record<string, any>;
  const t = state.t;
  const who = ev.sender.displayName || t.counselor;
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
      if (live) {
        speak(String(b.text ?? ''), b.voice ? String(b.voice) : undefined);
        announcer.say(`${who} (${t.spoken}): ${String(b.text ?? '')}`);
      }
      break;
    case 'text':
      if (live && isCounselor(ev.sender.role)) announcer.say(`${who}: ${String(b.text ?? '')}`);
      break;
    case 'signal':
      if (isMine(ev) && b.name === 'assessment') state.completedRequests.add(String(b.value));
      break;
    case AssessmentKind:
      if (live) announcer.say(t.assessmentAsk.replace('{name}', String(b.instrument ?? '').toUpperCase()));
      break;
  }
  view.renderLog();
}

function insertSorted(list: SessionEventDto[], ev: SessionEventDto): void {
  let i = list.length;
  while (i > 0 && list[i - 1].seq > ev.seq) i--;
  list.splice(i, 0, ev);
}

function onState(sessionState: string, ps: ParticipantDto[]): void {
  document.getElementById('app')!.dataset.sessionState = sessionState;
  const wasHere = state.participants.some((p) => isCounselor(p.role) && p.present);
  state.participants = ps;
  if (!OpenStates.has(sessionState)) {
    state.endedNotice = true;
    void leaveSession();
    return;
  }
  const counselorPresent = ps.some((p) => isCounselor(p.role) && p.present);
  if (counselorPresent !== wasHere && state.screen === 'stage') announcer.say(counselorPresent ? state.t.counselorHere : state.t.counselorAway);
  // Once the conversation has started it stays on screen, even if the counselor's connection blinks.
  if (counselorPresent) state.metCounselor = true;
  const next = state.metCounselor ? 'stage' : 'waiting';
  if (next !== state.screen) {
    state.screen = next;
    view.render();
  } else {
    view.renderPresence();
  }
}

async function leaveSession(): Promise<void> {
  const ch = channel;
  channel = null;
  state.session = null;
  state.events.length = 0;
  state.pending.clear();
  state.screen = 'waiting';
  view.render();
  await ch?.leave();
  schedulePoll(15000);
}

export async function startDevice(): Promise<void> {
  if (!state.device) return;
  if (!hub) {
    hub = new HubClient(Hub.avatar, () => state.device?.accessToken ?? null, () => forgetDevice(true));
    hub.onStatus((s) => {
      state.connection = s;
      view.renderStatus();
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
  if (!state.device || channel) return;
  let sessions: SessionDto[] = [];
  try {
    sessions = await api.get<SessionDto[]>('/api/devices/me/sessions');
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
    state.session = null;
    view.render();
    schedulePoll(20000);
    return;
  }
  state.session = next;
  state.endedNotice = false;
  joinSession(next);
}

function joinSession(s: SessionDto): void {
  if (!hub || !state.device) return;
  state.replaying = true;
  state.metCounselor = false;
  state.events.length = 0;
  channel = new SessionChannel(hub, s.id, { id: state.device.deviceId, role: 'client', displayName: prefs.nickname() || state.t.you }, {
    event: onEvent,
    state: onState,
    pending: (p) => {
      state.pending.set(p.clientMsgId, { p });
      view.renderLog();
    },
    settled: (id, r) => {
      const entry = state.pending.get(id);
      if (r.error) state.pending.set(id, { ...entry!, failed: true });
      else {
        state.pending.delete(id);
        // The client's own send is confirmed once, when the server has it; the echoed event is not read again.
        if (entry?.p.kind === 'text') announcer.say(state.t.sent);
        else if (entry?.p.kind === 'signal') {
          const b = entry.p.body as Record<string, unknown>;
          if (b.name === 'reaction') announcer.say(state.t.reactionSent.replace('{name}', state.t.reactions[String(b.value)] ?? String(b.value)));
        }
      }
      view.renderLog();
    },
    joined: () => {
      if (state.metCounselor && state.screen === 'waiting' && OpenStates.has(channel?.state ?? '')) {
        state.screen = 'stage';
        view.render();
      }
      if (state.replaying) {
        state.replaying = false;
        for (const p of channel?.pendingMessages() ?? []) state.pending.set(p.clientMsgId, { p });
        sendProfile();
      }
      view.renderLog();
    },
    joinFailed: () => {
      channel = null;
      state.session = null;
      view.render();
      schedulePoll(20000);
    },
  });
  view.render();
}

/** Unpair (the client's choice) or a refused token: the device forgets everything it kept. */
export function forgetDevice(revoked: boolean): void {
  forgetEverything();
  state.device = null;
  void hub?.stop();
  hub = null;
  channel = null;
  state.session = null;
  state.events.length = 0;
  state.pending.clear();
  window.clearTimeout(pollTimer);
  state.pairError = revoked ? state.t.pairFailed : '';
  state.screen = 'pair';
  view.render();
}

export function sendProfile(): void {
  const value = JSON.stringify({ nickname: prefs.nickname(), look: selfAvatar.root.dataset.look });
  channel?.send('signal', { name: 'profile', value }).catch(() => {
    /* not the client's concern: the nickname and look stay on this device and are sent again at the next join */
  });
}

export async function sendText(value: string): Promise<void> {
  const trimmed = value.trim();
  if (!trimmed || !channel) return;
  try {
    await channel.send('text', { text: trimmed });
  } catch {
    /* marked as not sent in the log */
  }
}

export async function sendReaction(key: string): Promise<void> {
  if (!channel) return;
  try {
    await channel.send('signal', { name: 'reaction', value: key });
  } catch {
    /* marked in the log */
  }
}

export function sendSignal(name: string, value: string): void {
  channel?.send('signal', { name, value }).catch(() => {});
}

export async function loadInstruments(): Promise<InstrumentDefinition[]> {
  if (state.instruments) return state.instruments;
  state.instruments = await api.get<InstrumentDefinition[]>('/api/instruments');
  return state.instruments;
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
      sendSignal('presence', now);
    }
  }, 3000);
});
