// The avatar page's state in one place. Connection and speech change it and ask the view to show it.
import { SvgAvatar, lookById } from '../shared/avatar-svg';
import type { PendingMessage } from '../shared/hub';
import type { PairDeviceResponse, ParticipantDto, SessionDto, SessionEventDto } from '../shared/contract';
import type { InstrumentDefinition } from '../shared/instruments';
import { Announcer } from '../shared/announcer';
import { Strings, detectLanguage, type Lang } from './i18n';
import { loadDevice, prefs } from './store';

export type Screen = 'pair' | 'waiting' | 'stage';
export const CounselorRoles = new Set(['counselor', 'supervisor', 'admin']);

const lang = detectLanguage(prefs.lang());
const device = loadDevice();

export const state = {
  lang,
  t: Strings[lang],
  device: device as PairDeviceResponse | null,
  screen: (device ? 'waiting' : 'pair') as Screen,
  pairError: '',
  session: null as SessionDto | null,
  participants: [] as ParticipantDto[],
  endedNotice: false,
  metCounselor: false,
  /** True while a (re)join replays past events: those are shown but neither spoken nor announced. */
  replaying: true,
  connection: 'connecting',
  instruments: null as InstrumentDefinition[] | null,
  events: [] as SessionEventDto[],
  pending: new Map<string, { p: PendingMessage; failed?: boolean }>(),
  completedRequests: new Set<string>(),
  bubbleText: '',
};

export function setLang(l: Lang): void {
  state.lang = l;
  state.t = Strings[l];
  prefs.setLang(l);
  document.documentElement.lang = l;
}
document.documentElement.lang = lang;

export const counselorAvatar = new SvgAvatar(lookById('counselor'));
counselorAvatar.root.id = 'counselor-avatar';
export const selfAvatar = new SvgAvatar(lookById(prefs.look()));
selfAvatar.root.id = 'self-avatar';
selfAvatar.setExpression('relaxed', 0.6);

export const announcer = new Announcer();

/** What the view offers to the rest of the page; filled in by view.ts, so state and connection need not import it. */
export const view = {
  render: () => {},
  renderLog: () => {},
  renderStatus: () => {},
  renderPresence: () => {},
  renderBubble: () => {},
  openAssessment: (_key: string, _requestId: string) => {},
};

export function isCounselor(role: string): boolean {
  return CounselorRoles.has(role);
}
