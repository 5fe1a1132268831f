/*
 * Commands of the agent decider (stream `agent-<personId>`): the person's presence, absences and
 * windows of work elsewhere, and their answer record on offers. Time arrives on the command.
 */

interface AgentCommandData {
  readonly personId: string;
  readonly actorId: string;
  readonly at: string;
}

/** Presence as the agent sets it themself. */
export type Presence = 'available' | 'away' | 'offline';

export const PRESENCES: readonly Presence[] = ['available', 'away', 'offline'];

/** The agent sets their own presence. */
export interface SetPresence {
  readonly type: 'SetPresence';
  readonly data: AgentCommandData & { readonly status: Presence };
}

/** A planned absence (leave, training), `[from, to)`. */
export interface RecordAbsence {
  readonly type: 'RecordAbsence';
  readonly data: AgentCommandData & { readonly absenceId: string; readonly from: string; readonly to: string };
}

export interface CancelAbsence {
  readonly type: 'CancelAbsence';
  readonly data: AgentCommandData & { readonly absenceId: string };
}

/**
 * Work elsewhere published by another context (e.g. an onboarding session the agent presents),
 * `[from, to)`; keyed by the source's id, so a redelivered or rescheduled message updates one window.
 */
export interface RecordUnavailability {
  readonly type: 'RecordUnavailability';
  readonly data: AgentCommandData & { readonly sourceId: string; readonly source: string; readonly from: string; readonly to: string };
}

/** The work elsewhere was cancelled. */
export interface WithdrawUnavailability {
  readonly type: 'WithdrawUnavailability';
  readonly data: AgentCommandData & { readonly sourceId: string };
}

/** An offer to the agent expired unanswered. */
export interface NoteOfferTimedOut {
  readonly type: 'NoteOfferTimedOut';
  /** The offer that expired: its case and expiry (the same case offered again and left again is a second timeout). */
  readonly data: AgentCommandData & { readonly caseId: string; readonly offerExpiresAt: string };
}

/** The agent accepted an offer: their run of timeouts is over. */
export interface NoteOfferAccepted {
  readonly type: 'NoteOfferAccepted';
  readonly data: AgentCommandData & { readonly caseId: string };
}

export type AgentCommand = SetPresence | RecordAbsence | CancelAbsence | RecordUnavailability | WithdrawUnavailability | NoteOfferTimedOut | NoteOfferAccepted;
