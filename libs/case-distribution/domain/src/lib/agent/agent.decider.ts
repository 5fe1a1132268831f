import { assertNever, type Decider } from '@leadership/kernel';
import { blank } from '../shared/case-vocabulary';
import { earlier, millis, MS_PER_HOUR, validPeriod, within, type Period } from '../shared/instant';
import {
  PRESENCES,
  type AgentCommand,
  type CancelAbsence,
  type NoteOfferAccepted,
  type NoteOfferTimedOut,
  type Presence,
  type RecordAbsence,
  type RecordUnavailability,
  type SetPresence,
  type WithdrawUnavailability,
} from './agent.commands';
import { AbsenceConflictError, AbsenceOverError, AgentNotFoundError, AgentPeriodInvalidError, PresenceInvalidError, PresenceNotSelfError } from './agent.errors';
import type { AgentEvent, PresenceReason } from './agent.events';
import { RAMP_UP_MIN_ABSENCE_HOURS } from './ramp-up';

/**
 * Unanswered offers in a row after which the agent is set `away`. Two, not one: a single miss is
 * usually a moment away from the desk; two in a row mean the agent is not there, and every further
 * offer would make a waiting case wait a push timeout longer.
 */
export const MAX_CONSECUTIVE_OFFER_TIMEOUTS = 2;

const offerKey = (caseId: string, expiresAt: string): string => `${caseId}@${expiresAt}`;

export interface AgentAbsence extends Period {
  readonly absenceId: string;
}

export interface AgentUnavailability extends Period {
  readonly sourceId: string;
  /** The publishing context, e.g. `onboarding`. */
  readonly source: string;
}

/** An agent the context knows. */
export interface ExistingAgent {
  readonly status: 'known';
  readonly personId: string;
  readonly presence: Presence;
  readonly presenceReason: PresenceReason;
  readonly absences: readonly AgentAbsence[];
  readonly unavailability: readonly AgentUnavailability[];
  /** Offers (`<caseId>@<expiresAt>`) that expired unanswered since the agent last accepted one. */
  readonly timedOutOffers: readonly string[];
}

/** State of an agent stream: `none` until the first event; a new agent is offline. */
export type AgentState = { readonly status: 'none' } | ExistingAgent;

type Events = readonly AgentEvent[];

const fresh = (personId: string): ExistingAgent => ({
  status: 'known',
  personId,
  presence: 'offline',
  presenceReason: 'self',
  absences: [],
  unavailability: [],
  timedOutOffers: [],
});

function known(state: AgentState, personId: string): ExistingAgent {
  if (state.status === 'none') throw new AgentNotFoundError(personId);
  return state;
}

function requirePeriod(personId: string, id: string, period: Period): void {
  if (blank(id) || !validPeriod(period)) throw new AgentPeriodInvalidError(personId, id);
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function setPresence(command: SetPresence, state: AgentState): Events {
  const { personId, actorId, at, status } = command.data;
  if (actorId !== personId) throw new PresenceNotSelfError(personId, actorId);
  if (!PRESENCES.includes(status)) throw new PresenceInvalidError(personId, status);
  const agent = state.status === 'none' ? fresh(personId) : state;
  // Restating the same presence changes nothing, and a new agent is offline already.
  if (agent.presence === status && (state.status !== 'none' || status === 'offline')) return [];
  return [{ type: 'AgentPresenceChanged', data: { personId, actorId, at, status, reason: 'self' } }];
}

function recordAbsence(command: RecordAbsence, state: AgentState): Events {
  const { personId, actorId, at, absenceId, from, to } = command.data;
  requirePeriod(personId, absenceId, { from, to });
  const current = state.status === 'none' ? undefined : state.absences.find((absence) => absence.absenceId === absenceId);
  if (current) {
    if (millis(current.from) === millis(from) && millis(current.to) === millis(to)) return [];
    throw new AbsenceConflictError(personId, absenceId);
  }
  return [{ type: 'AgentAbsenceRecorded', data: { personId, actorId, at, absenceId, from, to } }];
}

function cancelAbsence(command: CancelAbsence, state: AgentState): Events {
  const { personId, actorId, at, absenceId } = command.data;
  const current = state.status === 'none' ? undefined : state.absences.find((absence) => absence.absenceId === absenceId);
  // Cancelling what is not (or no longer) recorded changes nothing: a retried cancellation.
  if (!current) return [];
  if (!earlier(at, current.to)) throw new AbsenceOverError(personId, absenceId);
  return [{ type: 'AgentAbsenceCancelled', data: { personId, actorId, at, absenceId } }];
}

function recordUnavailability(command: RecordUnavailability, state: AgentState): Events {
  const { personId, actorId, at, sourceId, source, from, to } = command.data;
  requirePeriod(personId, sourceId, { from, to });
  const current = state.status === 'none' ? undefined : state.unavailability.find((window) => window.sourceId === sourceId);
  // Redelivered: the same window; rescheduled: the new window replaces it.
  if (current && millis(current.from) === millis(from) && millis(current.to) === millis(to)) return [];
  return [{ type: 'AgentUnavailabilityRecorded', data: { personId, actorId, at, sourceId, source, from, to } }];
}

function withdrawUnavailability(command: WithdrawUnavailability, state: AgentState): Events {
  const { personId, actorId, at, sourceId } = command.data;
  if (state.status === 'none' || !state.unavailability.some((window) => window.sourceId === sourceId)) return [];
  return [{ type: 'AgentUnavailabilityWithdrawn', data: { personId, actorId, at, sourceId } }];
}

function noteTimedOut(command: NoteOfferTimedOut, state: AgentState): Events {
  const { personId, actorId, at, caseId, offerExpiresAt } = command.data;
  const agent = known(state, personId);
  // The same expiry noted twice (a retried note) counts once; the same case offered again and left again counts again.
  if (agent.timedOutOffers.includes(offerKey(caseId, offerExpiresAt))) return [];
  const consecutive = agent.timedOutOffers.length + 1;
  const timedOut: AgentEvent = { type: 'AgentOfferTimedOut', data: { personId, actorId, at, caseId, offerExpiresAt, consecutive } };
  if (consecutive < MAX_CONSECUTIVE_OFFER_TIMEOUTS || agent.presence !== 'available') return [timedOut];
  return [timedOut, { type: 'AgentPresenceChanged', data: { personId, actorId, at, status: 'away', reason: 'offer-timeouts' } }];
}

function noteAccepted(command: NoteOfferAccepted, state: AgentState): Events {
  const { personId, actorId, at, caseId } = command.data;
  const agent = known(state, personId);
  if (agent.timedOutOffers.length === 0) return [];
  return [{ type: 'AgentOfferTimeoutsReset', data: { personId, actorId, at, caseId } }];
}

export function evolveAgent(state: AgentState, event: AgentEvent): AgentState {
  const agent = state.status === 'none' ? fresh(event.data.personId) : state;
  switch (event.type) {
    case 'AgentPresenceChanged':
      // The agent coming back by themself starts a new run of answers.
      return { ...agent, presence: event.data.status, presenceReason: event.data.reason, timedOutOffers: event.data.reason === 'self' ? [] : agent.timedOutOffers };
    case 'AgentAbsenceRecorded': {
      const { absenceId, from, to } = event.data;
      return { ...agent, absences: [...agent.absences, { absenceId, from, to }] };
    }
    case 'AgentAbsenceCancelled':
      return { ...agent, absences: agent.absences.filter((absence) => absence.absenceId !== event.data.absenceId) };
    case 'AgentUnavailabilityRecorded': {
      const { sourceId, source, from, to } = event.data;
      return { ...agent, unavailability: [...agent.unavailability.filter((window) => window.sourceId !== sourceId), { sourceId, source, from, to }] };
    }
    case 'AgentUnavailabilityWithdrawn':
      return { ...agent, unavailability: agent.unavailability.filter((window) => window.sourceId !== event.data.sourceId) };
    case 'AgentOfferTimedOut':
      return { ...agent, timedOutOffers: [...agent.timedOutOffers, offerKey(event.data.caseId, event.data.offerExpiresAt)] };
    case 'AgentOfferTimeoutsReset':
      return { ...agent, timedOutOffers: [] };
    default:
      return assertNever(event);
  }
}

/** Whether the agent can be routed to at `at`, as the router's snapshot needs it. */
export interface AgentAvailability {
  readonly presence: Presence;
  /** In a recorded absence. */
  readonly absent: boolean;
  /** In a window of work elsewhere. */
  readonly unavailable: boolean;
  /** End of the latest absence of a working day or more that is over at `at` (the ramp-up's start). */
  readonly returnedFromAbsenceAt: string | null;
}

/** The agent's availability at `at` (an unknown agent is offline). */
export function agentAvailabilityAt(state: AgentState, at: string): AgentAvailability {
  if (state.status === 'none') return { presence: 'offline', absent: false, unavailable: false, returnedFromAbsenceAt: null };
  const long = state.absences.filter((absence) => millis(absence.to) - millis(absence.from) >= RAMP_UP_MIN_ABSENCE_HOURS * MS_PER_HOUR && !earlier(at, absence.to));
  const returned = long.reduce<string | null>((latest, absence) => (latest === null || earlier(latest, absence.to) ? absence.to : latest), null);
  return {
    presence: state.presence,
    absent: state.absences.some((absence) => within(absence, at)),
    unavailable: state.unavailability.some((window) => within(window, at)),
    returnedFromAbsenceAt: returned,
  };
}

/** The agent aggregate (stream `agent-<personId>`, see `agentStreamName`). */
export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveAgent,
  decide(command, state) {
    switch (command.type) {
      case 'SetPresence':
        return setPresence(command, state);
      case 'RecordAbsence':
        return recordAbsence(command, state);
      case 'CancelAbsence':
        return cancelAbsence(command, state);
      case 'RecordUnavailability':
        return recordUnavailability(command, state);
      case 'WithdrawUnavailability':
        return withdrawUnavailability(command, state);
      case 'NoteOfferTimedOut':
        return noteTimedOut(command, state);
      case 'NoteOfferAccepted':
        return noteAccepted(command, state);
      default:
        return assertNever(command);
    }
  },
};
