// Wire contract types, generated from the server's OpenAPI document (web/openapi/v1.json, kept equal to the served
// one by a server test) into api.generated.ts by `npm run contract`; the pages import them from here.
import type { components } from './api.generated';

type Schemas = components['schemas'];

/** An event's body is a JSON object whose fields depend on its kind (docs/protocol.md). */
type EventBody = Record<string, unknown> | null;

export type UserInfo = Schemas['UserInfo'];
export type LoginResponse = Schemas['SignInResponse'];
export type DeviceInfo = Schemas['DeviceInfo'];
export type ClientDto = Schemas['ClientDto'];
export type PairingCodeResponse = Schemas['PairingCodeResponse'];
export type PairDeviceResponse = Schemas['PairDeviceResponse'];
export type ParticipantDto = Schemas['ParticipantDto'];
export type SessionDto = Schemas['SessionDto'];
export type SenderDto = Schemas['SenderDto'];
export type SessionEventDto = Omit<Schemas['SessionEventDto'], 'body'> & { body: EventBody };
/** The kinds of session event (fixed by the server). */
export type EventKind = Schemas['SessionEventDto']['kind'];
export type SessionStateDto = Schemas['SessionStateDto'];
export type JoinSessionResult = Omit<Schemas['JoinSessionResult'], 'events'> & { events: SessionEventDto[] };
export type SendAck = Schemas['SendAck'];
export type RiskAlertDto = Schemas['RiskAlertDto'];
export type RiskAlertLevel = 'none' | 'wishToBeDead' | 'activeIdeation' | 'method' | 'intentOrPlan' | 'behaviour';
/** What each level means, after the C-SSRS screener questions (Posner et al. 2011): what the words show, not a diagnosis. */
export const RiskAlertLevelText: Record<RiskAlertLevel, string> = {
  none: 'not graded (keyword phrase)',
  wishToBeDead: 'wish to be dead (C-SSRS Q1)',
  activeIdeation: 'suicidal thoughts or self-harm urge (C-SSRS Q2)',
  method: 'method or means (C-SSRS Q3)',
  intentOrPlan: 'intent or plan (C-SSRS Q4/Q5)',
  behaviour: 'preparatory act or self-harm behaviour (C-SSRS Q6)',
};
export type TriageReasonDto = Schemas['TriageReasonDto'];
export type TriageEntryDto = Schemas['TriageEntryDto'];
export type TriageQueueDto = Schemas['TriageQueueDto'];
export type AssessmentRecord = Schemas['AssessmentRecord'];
export type IsolationRecordEntry = Schemas['IsolationRecordEntry'];
export type Timeline = Schemas['Timeline'];
/** A refused call's body (application/problem+json); `errors` only on a validation problem. */
export type ProblemDetails = Schemas['HttpValidationProblemDetails'];

export const Hub = {
  counselor: '/hubs/counselor',
  avatar: '/hubs/avatar',
  JoinSession: 'JoinSession',
  Send: 'Send',
  LeaveSession: 'LeaveSession',
  EndSession: 'EndSession',
  AcknowledgeAlert: 'AcknowledgeAlert',
  SessionEvent: 'SessionEvent',
  SessionState: 'SessionState',
  RiskAlert: 'RiskAlert',
  AlertUpdated: 'AlertUpdated',
  TriageUpdated: 'TriageUpdated',
} as const;

export const Expressions = ['happy', 'angry', 'sad', 'relaxed', 'surprised', 'neutral'] as const;
export const Gestures = ['nod', 'wave', 'bow', 'tilt', 'shake', 'think', 'cheer'] as const;
export const GazeTargets = ['client', 'away', 'up', 'down', 'left', 'right'] as const;

/**
 * Self-report request: the counselor sends kind `assessment` {instrument, requestId}; the device submits
 * the answers over REST (completedBy "client") and then sends `signal {name:"assessment", value:requestId}`.
 */
export const AssessmentKind = 'assessment';

/** Sessions that a device may still join. */
export const OpenStates = new Set(['scheduled', 'waiting', 'active']);
