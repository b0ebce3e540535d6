// Wire contract mirrored from src/HikiConsult.Contracts (camelCase JSON).

export interface UserInfo { id: string; displayName: string; role: string }
export interface LoginResponse { accessToken: string; expiresAt: string; user: UserInfo; refreshToken?: string; refreshExpiresAt?: string }

export interface DeviceInfo { deviceId: string; kind: string; name: string; pairedAt: string; revoked: boolean }
export interface ClientDto {
  id: string; alias: string; language: string; timeZone: string; status: string;
  assignedCounselorIds: string[]; consents: { scope: string; givenAt: string; recordedBy: string }[];
  devices: DeviceInfo[]; createdAt: string;
}
export interface PairingCodeResponse { code: string; expiresAt: string }
export interface PairDeviceResponse { deviceId: string; accessToken: string; clientId: string; kind: string }

export interface ParticipantDto { id: string; role: string; displayName: string; present: boolean }
export interface SessionDto {
  id: string; clientId: string; state: string; scheduledAt?: string | null; createdAt?: string;
  endedAt?: string | null; familyOnly?: boolean; participants?: ParticipantDto[]; lastSeq?: number;
}
export interface SenderDto { id: string; role: string; displayName: string }
export interface SessionEventDto {
  sessionId: string; seq: number; at: string; sender: SenderDto; kind: string;
  body: Record<string, unknown> | null;
}
export interface SessionStateDto { sessionId: string; state: string; participants: ParticipantDto[] }
export interface JoinSessionResult {
  sessionId: string; clientId: string; state: string; participants: ParticipantDto[]; events: SessionEventDto[];
}
export interface SendAck { seq: number; at: string; duplicate: boolean }

export interface RiskAlertDto {
  alertId: string; clientId: string; clientAlias: string; sessionId: string; seq: number; category: string;
  language: string; evidence: string[]; createdAt: string; status: string; acknowledgedAt?: string | null;
  acknowledgedBy?: string | null; escalatedAt?: string | null; source: string; label?: string;
  /** C-SSRS-aligned level the words show ('none' when only a keyword phrase matched) and the concept pattern that fired. */
  level?: RiskAlertLevel; pattern?: string;
}
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
export interface TriageReasonDto { code: string; text: string; weight: number; data: string }
export interface TriageEntryDto { clientId: string; clientAlias: string; score: number; reasons: TriageReasonDto[]; updatedAt: string }
export interface TriageQueueDto { entries: TriageEntryDto[]; updatedAt: string; label: string }

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
