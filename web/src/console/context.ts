// What every console view needs: the signed-in user, REST, the counselor hub, and small shared helpers.
import { Api, ApiError } from '../shared/api';
import { h } from '../shared/dom';
import type { HubClient } from '../shared/hub';
import type { ClientDto, UserInfo } from '../shared/contract';

export interface ConsoleContext {
  user: UserInfo;
  api: Api;
  hub: HubClient;
  /** Clients by id, filled from the caseload so views can show aliases. */
  clients: Map<string, ClientDto>;
  navigate(hash: string): void;
  toast(message: string, kind?: 'info' | 'error'): void;
}

/** A clear "not available" or error line for a panel whose data could not be loaded. */
export function unavailable(err: unknown, what: string): HTMLElement {
  if (err instanceof ApiError && err.notAvailable) {
    return h('p', { class: 'unavailable', dataset: { unavailable: what } }, `${what} is not available on this server yet.`);
  }
  const msg = err instanceof Error ? err.message : String(err);
  return h('p', { class: 'unavailable error' }, `${what} could not be loaded: ${msg}`);
}

/** Sessions this browser created or opened, per client: a fallback where the server lists none. */
export function rememberSession(clientId: string, sessionId: string): void {
  const key = `hikiconsult.sessions.${clientId}`;
  const list = knownSessions(clientId).filter((x) => x !== sessionId);
  list.unshift(sessionId);
  localStorage.setItem(key, JSON.stringify(list.slice(0, 20)));
}

export function knownSessions(clientId: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(`hikiconsult.sessions.${clientId}`) ?? '[]') as string[];
  } catch {
    return [];
  }
}

export const StateLabels: Record<string, string> = {
  scheduled: 'Scheduled', waiting: 'Client waiting', active: 'Active', ended: 'Ended', cancelled: 'Cancelled', noShow: 'No-show',
};

export const LanguageNames: Record<string, string> = { ja: '日本語', en: 'English', nl: 'Nederlands' };
