// One SignalR connection per page that reconnects by itself forever, and a per-session channel that
// resumes by afterSeq, orders and dedupes events by seq, and resends unacknowledged messages with the
// same clientMsgId (the server treats a repeat as a duplicate), so nothing is lost or doubled.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import type { EventKind, JoinSessionResult, ParticipantDto, SendAck, SenderDto, SessionEventDto, SessionStateDto } from './contract';
import { Hub } from './contract';
import { newId } from './ids';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export class HubClient {
  readonly connection: HubConnection;
  status: LinkStatus = 'connecting';
  private stopped = false;
  private readonly statusListeners: ((s: LinkStatus) => void)[] = [];
  private readonly connectedListeners: (() => void | Promise<void>)[] = [];

  constructor(
    path: string,
    token: () => string | null,
    private readonly onUnauthorized: () => void = () => {},
  ) {
    this.connection = new HubConnectionBuilder()
      .withUrl(path, { accessTokenFactory: () => token() ?? '' })
      .withAutomaticReconnect({
        // Retry forever, except when the token was refused: then start() reports it once.
        nextRetryDelayInMilliseconds: (ctx) =>
          (ctx.retryReason as { statusCode?: number } | undefined)?.statusCode === 401 ? null : Math.min(500 * 2 ** ctx.previousRetryCount, 8000),
      })
      .configureLogging(LogLevel.None)
      .build();
    this.connection.onreconnecting(() => this.setStatus('reconnecting'));
    this.connection.onreconnected(() => {
      this.setStatus('connected');
      void this.fireConnected();
    });
    this.connection.onclose(() => {
      if (this.stopped) return;
      this.setStatus('offline');
      void this.start();
    });
  }

  on(method: string, handler: (...args: any[]) => void): void {
    this.connection.on(method, handler);
  }

  onStatus(cb: (s: LinkStatus) => void): void {
    this.statusListeners.push(cb);
    cb(this.status);
  }

  /** Runs after the first connection and after every reconnection (the place to re-join sessions). */
  onConnected(cb: () => void | Promise<void>): void {
    this.connectedListeners.push(cb);
    if (this.connection.state === HubConnectionState.Connected) void cb();
  }

  get connected(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  /** Starts, and keeps trying with a growing pause until it connects or the token is refused. */
  async start(): Promise<void> {
    this.stopped = false;
    let attempt = 0;
    while (!this.stopped && this.connection.state === HubConnectionState.Disconnected) {
      this.setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        await this.connection.start();
        this.setStatus('connected');
        await this.fireConnected();
        return;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 401) {
          this.setStatus('offline');
          this.stopped = true;
          this.onUnauthorized();
          return;
        }
        attempt++;
        this.setStatus('offline');
        await delay(Math.min(500 * 2 ** attempt, 8000));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connection.stop();
  }

  invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.connection.invoke<T>(method, ...args);
  }

  private setStatus(s: LinkStatus): void {
    if (this.status === s) return;
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private async fireConnected(): Promise<void> {
    for (const l of this.connectedListeners) {
      try {
        await l();
      } catch {
        /* a listener's own failure is reported by that listener */
      }
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The readable part of a HubException, without the client library's prefix. */
export function hubErrorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const i = msg.indexOf('HubException:');
  return (i >= 0 ? msg.slice(i + 'HubException:'.length) : msg).trim();
}

function isConnectionProblem(err: unknown, hub: HubClient): boolean {
  if (!hub.connected) return true;
  const msg = err instanceof Error ? err.message : String(err);
  return !msg.includes('HubException') && /connection|Invocation canceled/i.test(msg);
}

export interface PendingMessage { clientMsgId: string; kind: EventKind; body: Record<string, unknown>; queuedAt: string }

export interface ChannelHandlers {
  /** A new event, in seq order as far as known; `seq` is never delivered twice. */
  event(ev: SessionEventDto): void;
  state(state: string, participants: ParticipantDto[]): void;
  pending?(p: PendingMessage): void;
  settled?(clientMsgId: string, result: { ack?: SendAck; error?: string }): void;
  joined?(result: JoinSessionResult): void;
  joinFailed?(message: string): void;
}

export class SessionChannel {
  /** Highest seq up to which every event has been received. */
  lastSeq = 0;
  state = '';
  participants: ParticipantDto[] = [];
  private readonly seen = new Set<number>();
  private readonly echoed = new Set<string>();
  private joining: Promise<void> | null = null;
  private closed = false;
  private readonly outboxKey: string;

  constructor(
    private readonly hub: HubClient,
    readonly sessionId: string,
    private readonly me: SenderDto,
    private readonly handlers: ChannelHandlers,
  ) {
    this.outboxKey = `hikiconsult.outbox.${me.id}.${sessionId}`;
    hub.on(Hub.SessionEvent, (ev: SessionEventDto) => {
      if (!this.closed && ev.sessionId === sessionId) this.ingest(ev);
    });
    hub.on(Hub.SessionState, (st: SessionStateDto) => {
      if (!this.closed && st.sessionId === sessionId) this.setState(st.state, st.participants);
    });
    hub.onConnected(() => this.join());
  }

  /** Joins (or re-joins after a reconnect) asking only for what was missed, then resends the outbox. */
  join(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.joining) {
      this.joining = this.doJoin().finally(() => {
        this.joining = null;
      });
    }
    return this.joining;
  }

  private async doJoin(): Promise<void> {
    let result: JoinSessionResult;
    try {
      result = await this.hub.invoke<JoinSessionResult>(Hub.JoinSession, this.sessionId, this.lastSeq);
    } catch (err) {
      if (this.hub.connected) this.handlers.joinFailed?.(hubErrorMessage(err));
      return;
    }
    this.setState(result.state, result.participants);
    for (const ev of [...result.events].sort((a, b) => a.seq - b.seq)) this.ingest(ev);
    this.handlers.joined?.(result);
    await this.flushOutbox();
  }

  ingest(ev: SessionEventDto): void {
    if (this.seen.has(ev.seq)) return;
    this.seen.add(ev.seq);
    while (this.seen.has(this.lastSeq + 1)) this.lastSeq++;
    this.settleEcho(ev);
    this.handlers.event(ev);
    // A hole means a push was missed: ask for exactly what is missing.
    if (ev.seq > this.lastSeq + 1 && this.hub.connected) void this.join();
  }

  /**
   * The broadcast of one of our own messages can arrive before its ack. Events carry no clientMsgId, so the
   * oldest queued message with the same kind and body is taken as delivered (shown once, not twice); it stays
   * in the outbox until the ack, so a lost ack still leads to an idempotent resend.
   */
  private settleEcho(ev: SessionEventDto): void {
    if (ev.sender.role !== this.me.role) return;
    const body = JSON.stringify(ev.body ?? {});
    const match = this.loadOutbox().find((m) => !this.echoed.has(m.clientMsgId) && m.kind === ev.kind && JSON.stringify(m.body) === body);
    if (match) {
      this.echoed.add(match.clientMsgId);
      this.handlers.settled?.(match.clientMsgId, {});
    }
  }

  private setState(state: string, participants: ParticipantDto[]): void {
    this.state = state;
    this.participants = participants;
    this.handlers.state(state, participants);
  }

  /** Queues the message (kept across reloads) and sends it; resolves with the ack or rejects with the server's reason. */
  async send(kind: EventKind, body: Record<string, unknown>): Promise<SendAck | null> {
    const p: PendingMessage = { clientMsgId: newId(), kind, body, queuedAt: new Date().toISOString() };
    this.saveOutbox([...this.loadOutbox(), p]);
    this.handlers.pending?.(p);
    return this.trySend(p);
  }

  /** Messages queued and not yet seen delivered. */
  pendingMessages(): PendingMessage[] {
    return this.loadOutbox().filter((m) => !this.echoed.has(m.clientMsgId));
  }

  private async trySend(p: PendingMessage): Promise<SendAck | null> {
    if (!this.hub.connected) return null;
    try {
      const ack = await this.hub.invoke<SendAck>(Hub.Send, this.sessionId, { clientMsgId: p.clientMsgId, kind: p.kind, body: p.body });
      this.removeFromOutbox(p.clientMsgId);
      if (!this.seen.has(ack.seq)) {
        this.ingest({ sessionId: this.sessionId, seq: ack.seq, at: ack.at, sender: { ...this.me }, kind: p.kind, body: p.body });
      }
      this.handlers.settled?.(p.clientMsgId, { ack });
      return ack;
    } catch (err) {
      if (isConnectionProblem(err, this.hub)) return null; // stays queued; resent after reconnect
      this.removeFromOutbox(p.clientMsgId);
      const error = hubErrorMessage(err);
      this.handlers.settled?.(p.clientMsgId, { error });
      throw new Error(error);
    }
  }

  private async flushOutbox(): Promise<void> {
    for (const p of this.loadOutbox()) {
      try {
        await this.trySend(p);
      } catch {
        /* reported through settled() */
      }
    }
  }

  async leave(): Promise<void> {
    this.closed = true;
    if (this.hub.connected) {
      try {
        await this.hub.invoke(Hub.LeaveSession, this.sessionId);
      } catch {
        /* leaving an ended session is fine */
      }
    }
  }

  // Unsent bodies live in sessionStorage: they survive a reload or a crash of the tab's page, but not the closing
  // of the browser on a shared computer.
  private loadOutbox(): PendingMessage[] {
    try {
      return JSON.parse(sessionStorage.getItem(this.outboxKey) ?? '[]') as PendingMessage[];
    } catch {
      return [];
    }
  }

  private saveOutbox(list: PendingMessage[]): void {
    if (list.length) sessionStorage.setItem(this.outboxKey, JSON.stringify(list));
    else sessionStorage.removeItem(this.outboxKey);
  }

  private removeFromOutbox(id: string): void {
    this.saveOutbox(this.loadOutbox().filter((m) => m.clientMsgId !== id));
  }
}
