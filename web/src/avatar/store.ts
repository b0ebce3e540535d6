// What the avatar page keeps in the browser, and where (docs/browser.md): the device token and the client's
// display choices in localStorage (needed after the browser restarts), drafts and the scroll/focus position in
// sessionStorage (a reload in the same tab needs them; closing the browser drops them).
import type { PairDeviceResponse } from '../shared/contract';
import { StoragePrefix, forgetAllStored } from '../shared/storage';

const Local = {
  device: `${StoragePrefix}device`,
  nickname: `${StoragePrefix}nickname`,
  look: `${StoragePrefix}look`,
  voice: `${StoragePrefix}voice`,
  lang: `${StoragePrefix}lang`,
};
const Session = {
  draft: `${StoragePrefix}draft`,
  scroll: `${StoragePrefix}log-scroll`,
  focus: `${StoragePrefix}focus`,
};

export function loadDevice(): PairDeviceResponse | null {
  try {
    const d = JSON.parse(localStorage.getItem(Local.device) ?? 'null') as PairDeviceResponse | null;
    return d && d.accessToken ? d : null;
  } catch {
    return null;
  }
}

export function saveDevice(d: PairDeviceResponse): void {
  localStorage.setItem(Local.device, JSON.stringify(d));
}

/** Unpairing or a revoked token: nothing of this client stays on the device. */
export function forgetEverything(): void {
  forgetAllStored();
}

export const prefs = {
  voiceOn: (): boolean => localStorage.getItem(Local.voice) !== 'off',
  setVoice: (on: boolean): void => localStorage.setItem(Local.voice, on ? 'on' : 'off'),
  nickname: (): string => localStorage.getItem(Local.nickname) ?? '',
  setNickname: (v: string): void => localStorage.setItem(Local.nickname, v),
  look: (): string | null => localStorage.getItem(Local.look),
  setLook: (v: string): void => localStorage.setItem(Local.look, v),
  lang: (): string | null => localStorage.getItem(Local.lang),
  setLang: (v: string): void => localStorage.setItem(Local.lang, v),
};

export const tabState = {
  draft: (): string => sessionStorage.getItem(Session.draft) ?? '',
  setDraft: (v: string): void => (v ? sessionStorage.setItem(Session.draft, v) : sessionStorage.removeItem(Session.draft)),
  /** Pixels from the bottom of the message list (0: follow new messages). */
  scrollFromBottom: (): number => Number(sessionStorage.getItem(Session.scroll) ?? '0') || 0,
  setScrollFromBottom: (px: number): void => sessionStorage.setItem(Session.scroll, String(Math.max(0, Math.round(px)))),
  focusId: (): string | null => sessionStorage.getItem(Session.focus),
  setFocusId: (id: string | null): void => (id ? sessionStorage.setItem(Session.focus, id) : sessionStorage.removeItem(Session.focus)),
};
