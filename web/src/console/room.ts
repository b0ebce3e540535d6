// The session room: chat, avatar control, presence, the client's signals, ending with a note.
import { $, clear, formatTime, h } from '../shared/dom';
import { SessionChannel, hubErrorMessage, type PendingMessage } from '../shared/hub';
import { SvgAvatar, lookById } from '../shared/avatar-svg';
import { AssessmentKind, Expressions, GazeTargets, Gestures, Hub, OpenStates, type ClientDto, type EventKind, type ParticipantDto, type RiskAlertDto, type SessionDto, type SessionEventDto } from '../shared/contract';
import type { InstrumentDefinition } from '../shared/instruments';
import { StateLabels, type ConsoleContext } from './context';
import { newId } from '../shared/ids';
import { icon } from '../shared/icons';

const Staff = new Set(['counselor', 'supervisor', 'admin']);

export function sessionRoom(ctx: ConsoleContext, sessionId: string): { element: HTMLElement; dispose: () => void } {
  const preview = new SvgAvatar(lookById('counselor'), { label: 'what the client sees' });
  preview.root.id = 'avatar-preview';
  const clientLook = new SvgAvatar(lookById('sky'), { label: "the client's chosen look" });
  const events: SessionEventDto[] = [];
  const pending = new Map<string, { p: PendingMessage; error?: string }>();
  let state = '';
  let participants: ParticipantDto[] = [];
  let clientId = '';
  let weight = 1;
  let lastReaction: SessionEventDto | null = null;
  let clientPresence = '';
  let profile: { nickname?: string; look?: string } = {};

  const slider = h('input', { type: 'range', min: '0', max: '100', value: '100', id: 'expression-weight', 'aria-label': 'Expression weight' });
  const weightLabel = h('output', { for: 'expression-weight' }, '100%');
  const log = h('ol', { class: 'room-log', id: 'room-log', 'aria-live': 'polite', 'aria-label': 'Session log', tabindex: '0' });
  const stateBadge = h('span', { class: 'state-badge', id: 'session-state' }, '…');
  const presence = h('ul', { class: 'presence-list', id: 'presence' });
  const title = h('h2', {}, 'Session');
  const banner = h('p', { class: 'room-banner', hidden: true });

  const element = h('div', { class: 'room', id: 'session-room', dataset: { sessionId } },
    h('div', { class: 'room-head' },
      h('div', {}, title, h('div', { class: 'room-sub' }, stateBadge, presence)),
      h('div', { class: 'room-actions' },
        h('a', { class: 'btn light', id: 'transcript-link', href: `/api/sessions/${encodeURIComponent(sessionId)}/transcript`, onclick: openTranscript }, 'Transcript'),
        h('button', { class: 'btn danger', id: 'end-session', onclick: endSession }, 'End session'))),
    banner,
    h('div', { class: 'room-grid' },
      h('section', { class: 'panel chat' }, log, composer()),
      h('aside', { class: 'room-side' }, signalsPanel(), controlPanel())));

  const channel = new SessionChannel(ctx.hub, sessionId, { id: ctx.user.id, role: ctx.user.role, displayName: ctx.user.displayName }, {
    event: (ev) => {
      insertSorted(events, ev);
      apply(ev);
      renderEvent(ev);
    },
    state: (s, ps) => {
      state = s;
      participants = ps;
      renderState();
    },
    pending: (p) => {
      pending.set(p.clientMsgId, { p });
      renderPending();
    },
    settled: (id, r) => {
      if (r.error) pending.set(id, { ...pending.get(id)!, error: r.error });
      else pending.delete(id);
      renderPending();
    },
    joined: (r) => {
      clientId = r.clientId;
      void loadClient();
      for (const p of channel.pendingMessages()) pending.set(p.clientMsgId, { p });
      renderPending();
      banner.hidden = true;
    },
    joinFailed: (msg) => {
      banner.textContent = `This session cannot be joined: ${msg}`;
      banner.hidden = false;
    },
  });

  async function loadClient(): Promise<void> {
    let c = ctx.clients.get(clientId);
    if (!c) {
      try {
        c = await ctx.api.get<ClientDto>(`/api/clients/${encodeURIComponent(clientId)}`);
        ctx.clients.set(c.id, c);
      } catch (e) {
        ctx.toast(`The client could not be loaded: ${(e as Error).message}`, 'error');
      }
    }
    clear(title);
    title.append('Session with ', h('a', { href: `#/clients/${encodeURIComponent(clientId)}` }, c?.alias ?? 'client'));
  }

  // Fetch the session itself for its state before the hub join completes (and for a session the hub refuses).
  void ctx.api.get<SessionDto>(`/api/sessions/${encodeURIComponent(sessionId)}`).then((s) => {
    if (!state) {
      state = s.state;
      participants = s.participants;
      renderState();
    }
    if (!clientId) {
      clientId = s.clientId;
      void loadClient();
    }
  }, (e: Error) => {
    if (clientId) return; // the hub join has brought the same and more
    banner.textContent = `This session could not be loaded: ${e.message}`;
    banner.hidden = false;
  });

  function apply(ev: SessionEventDto): void {
    const b = (ev.body ?? {}) as Record<string, any>;
    if (Staff.has(ev.sender.role)) {
      if (ev.kind === 'expression') {
        preview.setExpression(String(b.name), Number(b.weight ?? 1));
        syncWeight(Number(b.weight ?? 1));
      }
      if (ev.kind === 'gaze') preview.setGaze(String(b.target));
    } else if (ev.kind === 'signal') {
      if (b.name === 'reaction') lastReaction = ev;
      if (b.name === 'presence') clientPresence = String(b.value);
      if (b.name === 'profile') {
        try {
          profile = JSON.parse(String(b.value));
          clientLook.setLook(lookById(profile.look));
          clientLook.setExpression('relaxed', 0.6);
        } catch {
          profile = {};
        }
      }
      renderSignals();
    }
  }

  const flaggedSeqs = new Set<number>();
  let disposed = false;
  const markFlagged = (a: RiskAlertDto) => {
    if (disposed || a.sessionId !== sessionId) return;
    flaggedSeqs.add(a.seq);
    log.querySelector(`li[data-seq="${a.seq}"]`)?.classList.add('flagged');
  };
  ctx.hub.on(Hub.RiskAlert, markFlagged);
  // Open alerts mark the messages that raised them; the alert banner itself reports a failed list.
  void ctx.api.get<RiskAlertDto[]>(`/api/alerts?status=open`).then((list) => list.forEach(markFlagged), () => {});

  function renderEvent(ev: SessionEventDto): void {
    const li = eventItem(ev);
    li.dataset.seq = String(ev.seq);
    if (flaggedSeqs.has(ev.seq)) li.classList.add('flagged');
    const after = [...log.querySelectorAll<HTMLElement>('li[data-seq]')].find((x) => Number(x.dataset.seq) > ev.seq);
    log.insertBefore(li, after ?? log.querySelector('li.pending, li.failed'));
    log.scrollTop = log.scrollHeight;
  }

  function eventItem(ev: SessionEventDto): HTMLLIElement {
    const b = (ev.body ?? {}) as Record<string, any>;
    const mine = Staff.has(ev.sender.role);
    const who = ev.sender.displayName || ev.sender.role;
    const time = h('time', { datetime: ev.at }, formatTime(ev.at));
    const base = { 'data-kind': ev.kind, 'data-role': ev.sender.role };
    switch (ev.kind) {
      case 'text':
        return h('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, ...base }, h('div', { class: 'meta' }, who, ' ', time), h('div', { class: 'bubble' }, String(b.text ?? '')));
      case 'speak':
        return h('li', { class: 'msg mine spoken', ...base }, h('div', { class: 'meta' }, `${who} via avatar `, icon('speak'), ' ', time), h('div', { class: 'bubble' }, String(b.text ?? '')));
      case 'expression':
        return h('li', { class: 'cue', ...base }, icon(String(b.name)), `expression ${b.name} ${Math.round(Number(b.weight ?? 1) * 100)}%`, time);
      case 'gesture':
        return h('li', { class: 'cue', ...base }, icon(String(b.name)), `gesture ${b.name}`, time);
      case 'gaze':
        return h('li', { class: 'cue', ...base }, icon('gaze'), `gaze ${b.target}`, time);
      case 'signal':
        return h('li', { class: `signal s-${b.name}`, ...base }, h('span', { class: 'chip' }, signalText(b)), ' ', time);
      case AssessmentKind:
        return h('li', { class: 'cue', ...base }, `📋 questionnaire ${String(b.instrument ?? '').toUpperCase()} sent to the client`, time);
      case 'system':
        return h('li', { class: 'system', ...base }, systemText(b), ' ', time);
      default:
        return h('li', { class: 'cue', ...base }, `${ev.kind}`, time);
    }
  }

  function renderPending(): void {
    log.querySelectorAll('li.pending, li.failed').forEach((x) => x.remove());
    for (const { p, error } of pending.values()) {
      const b = p.body as Record<string, any>;
      const label = p.kind === 'text' || p.kind === 'speak' ? String(b.text ?? '') : `${p.kind} ${b.name ?? b.target ?? b.instrument ?? ''}`;
      log.append(h('li', { class: `msg mine ${error ? 'failed' : 'pending'}`, dataset: { clientMsgId: p.clientMsgId } },
        h('div', { class: 'meta' }, error ? `Not sent: ${error}` : 'Sending…'), h('div', { class: 'bubble' }, label)));
    }
    log.scrollTop = log.scrollHeight;
  }

  function renderState(): void {
    stateBadge.textContent = StateLabels[state] ?? state;
    stateBadge.dataset.state = state;
    clear(presence);
    for (const p of participants) {
      presence.append(h('li', { class: p.present ? 'here' : 'away', dataset: { role: p.role, present: String(p.present) } },
        h('span', { class: 'dot' }), `${p.displayName || p.role}`, h('span', { class: 'muted' }, ` (${p.role}${p.present ? '' : ', away'})`)));
    }
    const open = OpenStates.has(state);
    element.classList.toggle('closed', !open && !!state);
    ($('#end-session', element) as HTMLButtonElement).disabled = !open;
    renderSignals();
  }

  function composer(): HTMLElement {
    const input = h('textarea', { id: 'chat-input', rows: '2', maxlength: '4000', placeholder: 'Write to the client… (Enter sends, Shift+Enter for a new line)', 'aria-label': 'Message to the client' });
    const form = h('form', {
      class: 'composer', onsubmit: (e: Event) => {
        e.preventDefault();
        const text = input.value.trim();
        if (!text) return;
        input.value = '';
        send('text', { text });
      },
    }, input, h('button', { class: 'btn primary', type: 'submit', id: 'chat-send' }, 'Send'));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    return form;
  }

  function send(kind: EventKind, body: Record<string, unknown>): void {
    channel.send(kind, body).catch((err) => ctx.toast(hubErrorMessage(err), 'error'));
  }

  function syncWeight(w: number): void {
    if (!Number.isFinite(w)) return;
    weight = w;
    slider.value = String(Math.round(w * 100));
    weightLabel.textContent = `${slider.value}%`;
  }

  function controlPanel(): HTMLElement {
    slider.addEventListener('input', () => {
      weight = Number(slider.value) / 100;
      weightLabel.textContent = `${slider.value}%`;
    });
    const sayInput = h('input', { id: 'speak-input', maxlength: '4000', placeholder: 'Say as the avatar…', 'aria-label': 'Say as the avatar' });
    const instrumentSelect = h('select', { id: 'assessment-select', 'aria-label': 'Self-report questionnaire' });
    void ctx.api.get<InstrumentDefinition[]>('/api/instruments').then((list) => {
      for (const def of list) instrumentSelect.append(h('option', { value: def.id }, def.name));
    }, (e: Error) => ctx.toast(`The questionnaires could not be loaded: ${e.message}`, 'error'));
    return h('section', { class: 'panel control', id: 'avatar-control' },
      h('div', { class: 'panel-head' }, h('h3', {}, 'Avatar'), h('span', { class: 'muted small' }, 'What the client sees')),
      h('div', { class: 'preview-row' },
        h('div', { class: 'preview' }, preview.root),
        h('div', {},
          h('div', { class: 'ctl-label' }, 'Expression ', weightLabel),
          h('div', { class: 'btn-grid three' }, Expressions.map((name) => h('button', {
            class: 'btn tile', dataset: { expression: name }, title: name,
            onclick: () => send('expression', { name, weight }),
          }, icon(name), name))),
          slider)),
      h('div', { class: 'ctl-label' }, 'Gesture'),
      h('div', { class: 'btn-grid' }, Gestures.map((name) => h('button', {
        class: 'btn tile', dataset: { gesture: name },
        onclick: () => {
          preview.playGesture(name);
          send('gesture', { name });
        },
      }, icon(name), name))),
      h('div', { class: 'ctl-label' }, 'Gaze'),
      h('div', { class: 'btn-row' }, GazeTargets.map((target) => h('button', { class: 'btn chip-btn', dataset: { gaze: target }, onclick: () => send('gaze', { target }) }, target))),
      h('form', {
        class: 'speak-form', onsubmit: (e: Event) => {
          e.preventDefault();
          const text = sayInput.value.trim();
          if (!text) return;
          sayInput.value = '';
          send('speak', { text });
        },
      }, sayInput, h('button', { class: 'btn primary', type: 'submit', id: 'speak-send' }, 'Speak')),
      h('form', {
        class: 'speak-form', onsubmit: (e: Event) => {
          e.preventDefault();
          send(AssessmentKind, { instrument: instrumentSelect.value, requestId: newId() });
        },
      }, instrumentSelect, h('button', { class: 'btn light', type: 'submit', id: 'send-assessment' }, 'Ask for self-report')));
  }

  function signalsPanel(): HTMLElement {
    return h('section', { class: 'panel signals', id: 'client-signals' },
      h('div', { class: 'panel-head' }, h('h3', {}, 'Client')),
      h('div', { class: 'client-card' }, h('div', { class: 'client-look' }, clientLook.root), h('div', { id: 'signal-summary' })));
  }

  function renderSignals(): void {
    const host = element.querySelector('#signal-summary');
    if (!host) return;
    clear(host);
    const client = participants.find((p) => !Staff.has(p.role));
    const connected = client?.present ?? false;
    host.append(
      h('div', { class: 'nick' }, profile.nickname ? `“${profile.nickname}”` : client?.displayName ?? 'Client'),
      h('div', { class: `presence-line ${connected ? 'here' : 'away'}`, id: 'client-presence' },
        connected ? (clientPresence === 'away' ? 'Connected, page in background' : 'Connected and looking') : 'Not connected'),
      lastReaction ? h('div', { class: 'last-reaction', id: 'last-reaction' }, 'Last reaction: ', h('strong', {}, String((lastReaction.body as any)?.value ?? '')), ` at ${formatTime(lastReaction.at)}`) : h('div', { class: 'muted small' }, 'No reactions yet.'));
  }

  function openTranscript(e: Event): void {
    e.preventDefault();
    void (async () => {
      try {
        // text/plain, so the answer is the text itself.
        const text = await ctx.api.get<string>(`/api/sessions/${encodeURIComponent(sessionId)}/transcript`);
        const w = window.open('', '_blank');
        if (w) {
          w.document.title = 'Transcript';
          const pre = w.document.createElement('pre');
          pre.textContent = text;
          w.document.body.append(pre);
        }
      } catch (err) {
        ctx.toast(`Transcript: ${(err as Error).message}`, 'error');
      }
    })();
  }

  function endSession(): void {
    const note = h('textarea', { id: 'end-note', rows: '5', maxlength: '4000', placeholder: 'Closing note for the record (how it went, agreements, next step)' });
    const err = h('p', { class: 'form-error', hidden: true });
    const confirmBtn = h('button', { class: 'btn danger', id: 'end-confirm' }, 'End session');
    const cancel = h('button', { class: 'btn ghost' }, 'Cancel');
    const d = h('dialog', { class: 'modal' }, h('h3', {}, 'End this session'), note, err, h('div', { class: 'btn-row end' }, cancel, confirmBtn)) as HTMLDialogElement;
    document.body.append(d);
    d.addEventListener('close', () => d.remove());
    cancel.addEventListener('click', () => d.close());
    confirmBtn.addEventListener('click', async () => {
      confirmBtn.disabled = true;
      try {
        await ctx.hub.invoke(Hub.EndSession, sessionId, note.value.trim());
        d.close();
      } catch (ex) {
        err.textContent = hubErrorMessage(ex);
        err.hidden = false;
        confirmBtn.disabled = false;
      }
    });
    d.showModal();
  }

  return {
    element,
    dispose: () => {
      disposed = true;
      void channel.leave();
    },
  };
}

function insertSorted(list: SessionEventDto[], ev: SessionEventDto): void {
  let i = list.length;
  while (i > 0 && list[i - 1].seq > ev.seq) i--;
  list.splice(i, 0, ev);
}

function signalText(b: Record<string, any>): string {
  switch (b.name) {
    case 'reaction': return `reaction: ${b.value}`;
    case 'presence': return b.value === 'away' ? 'page in background' : 'back on the page';
    case 'profile': {
      try {
        const p = JSON.parse(String(b.value));
        return `profile: ${p.nickname ? `“${p.nickname}”, ` : ''}look ${p.look}`;
      } catch {
        return 'profile updated';
      }
    }
    case 'assessment': return 'questionnaire submitted';
    default: return `${b.name}: ${b.value ?? ''}`;
  }
}

/** The server's own events (docs/protocol.md): `{action: "joined" | "left", participant}` or `{action: "state", state, from?, by?}`. */
function systemText(b: Record<string, any>): string {
  if (b.action === 'state') return `Session ${(StateLabels[b.state] ?? b.state).toLowerCase()}`;
  return `${b.participant.displayName} ${b.action}`;
}
