// What every console view needs: the signed-in user, REST, the counselor hub, and small shared helpers.
import type { Api } from '../shared/api';
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

/** The error line for a panel whose data could not be loaded, with the server's reason. */
export function loadError(err: unknown, what: string): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  return h('p', { class: 'load-error' }, `${what} could not be loaded: ${msg}`);
}

export const StateLabels: Record<string, string> = {
  scheduled: 'Scheduled', waiting: 'Client waiting', active: 'Active', ended: 'Ended', cancelled: 'Cancelled', noShow: 'No-show',
};

export const LanguageNames: Record<string, string> = { ja: '日本語', en: 'English', nl: 'Nederlands' };
