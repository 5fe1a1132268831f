import type { Presence } from './agent.commands';

/* Events of the agent stream (`agent-<personId>`). */

interface AgentEventData {
  readonly personId: string;
  readonly actorId: string;
  readonly at: string;
}

/** Why the presence changed: the agent set it, or unanswered offers set them away. */
export type PresenceReason = 'self' | 'offer-timeouts';

export interface AgentPresenceChanged {
  readonly type: 'AgentPresenceChanged';
  readonly data: AgentEventData & { readonly status: Presence; readonly reason: PresenceReason };
}

export interface AgentAbsenceRecorded {
  readonly type: 'AgentAbsenceRecorded';
  readonly data: AgentEventData & { readonly absenceId: string; readonly from: string; readonly to: string };
}

export interface AgentAbsenceCancelled {
  readonly type: 'AgentAbsenceCancelled';
  readonly data: AgentEventData & { readonly absenceId: string };
}

/** Recorded or rescheduled: the window replaces any earlier one of the same source id. */
export interface AgentUnavailabilityRecorded {
  readonly type: 'AgentUnavailabilityRecorded';
  readonly data: AgentEventData & { readonly sourceId: string; readonly source: string; readonly from: string; readonly to: string };
}

export interface AgentUnavailabilityWithdrawn {
  readonly type: 'AgentUnavailabilityWithdrawn';
  readonly data: AgentEventData & { readonly sourceId: string };
}

/** `consecutive`: unanswered offers in a row, this one included. */
export interface AgentOfferTimedOut {
  readonly type: 'AgentOfferTimedOut';
  readonly data: AgentEventData & { readonly caseId: string; readonly offerExpiresAt: string; readonly consecutive: number };
}

export interface AgentOfferTimeoutsReset {
  readonly type: 'AgentOfferTimeoutsReset';
  readonly data: AgentEventData & { readonly caseId: string };
}

/** The one event union of the agent aggregate. */
export type AgentEvent =
  | AgentPresenceChanged
  | AgentAbsenceRecorded
  | AgentAbsenceCancelled
  | AgentUnavailabilityRecorded
  | AgentUnavailabilityWithdrawn
  | AgentOfferTimedOut
  | AgentOfferTimeoutsReset;
