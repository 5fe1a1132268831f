import { assertNever, type Decider } from '@leadership/kernel';
import { sameInstant, validWindow } from '../shared/instant';
import { blank, sameData, validPresenterAddress, validStamp, type DecisionStamp } from '../shared/onboarding-vocabulary';
import type {
  AssignPresenter,
  CancelSession,
  HandOverSession,
  ReviseSession,
  ScheduleSession,
  SessionCommand,
  SessionDetails,
  UnassignPresenter,
} from './session.commands';
import {
  SessionAlreadyExistsError,
  SessionCancelledError,
  SessionDetailsInvalidError,
  SessionNotFoundError,
  SessionPresenterTakenError,
  SessionStampInvalidError,
} from './session.errors';
import type { SessionEvent } from './session.events';

export interface ExistingSession extends SessionDetails {
  readonly status: 'scheduled' | 'cancelled';
  readonly sessionId: string;
  readonly planId: string;
  readonly stepKey: string;
  readonly unitId: string;
  readonly organiserId: string;
  readonly attendeeIds: readonly string[];
  /** The confirmed presenter and their booking; null while nobody is confirmed. */
  readonly presenterId: string | null;
  readonly bookingId: string | null;
  /** iCalendar SEQUENCE of the latest invitation. */
  readonly sequence: number;
  /** Instant of the latest change an attendee sees (iCalendar LAST-MODIFIED / DTSTAMP). */
  readonly changedAt: string;
}

export type SessionState = { readonly status: 'none' } | ExistingSession;

type Events = readonly SessionEvent[];

function existing(state: SessionState, sessionId: string): ExistingSession {
  if (state.status === 'none') throw new SessionNotFoundError(sessionId);
  return state;
}

function scheduled(state: SessionState, sessionId: string, action: string): ExistingSession {
  const session = existing(state, sessionId);
  if (session.status === 'cancelled') throw new SessionCancelledError(sessionId, action);
  return session;
}

function requireStamp(sessionId: string, stamp: DecisionStamp | null): void {
  if (stamp !== null && !validStamp(stamp)) throw new SessionStampInvalidError(sessionId);
}

/** The details in a fixed key order, checked. */
function detailsOf(sessionId: string, details: SessionDetails, attendees: number): SessionDetails {
  const invalid = (problem: string) => new SessionDetailsInvalidError(sessionId, problem);
  if (blank(details.title)) throw invalid('a title is required');
  if (!validWindow(details)) throw invalid('the window needs instants with from before to');
  if (details.presenterSlot !== null && !validPresenterAddress(details.presenterSlot)) throw invalid('the presenter slot is one person, role or skill');
  if (details.capacity !== null && (!Number.isInteger(details.capacity) || details.capacity < attendees)) throw invalid(`capacity ${details.capacity} is below the ${attendees} attendees`);
  const { title, from, to, location, link, capacity, presenterSlot } = details;
  return { title: title.trim(), from, to, location, link, capacity, presenterSlot };
}

/** True when an attendee's calendar shows the difference (the presenter slot alone is not shown). */
function visibleChange(a: SessionDetails, b: SessionDetails): boolean {
  return a.title !== b.title || !sameInstant(a.from, b.from) || !sameInstant(a.to, b.to) || a.location !== b.location || a.link !== b.link;
}

const sameDetails = (a: SessionDetails, b: SessionDetails): boolean =>
  !visibleChange(a, b) && a.capacity === b.capacity && sameData(a.presenterSlot, b.presenterSlot);

// ---------------------------------------------------------------------------------------------
// One function per command.

function schedule(command: ScheduleSession, state: SessionState): Events {
  const { sessionId, at, stamp, planId, stepKey, unitId } = command.data;
  if (!validStamp(stamp)) throw new SessionStampInvalidError(sessionId);
  const attendeeIds = [...new Set(command.data.attendeeIds)];
  const details = detailsOf(sessionId, command.data, attendeeIds.length);
  if (state.status !== 'none') {
    if (state.planId === planId && state.stepKey === stepKey && sameDetails(state, details)) return [];
    throw new SessionAlreadyExistsError(sessionId);
  }
  return [
    {
      type: 'SessionScheduled',
      data: { sessionId, actorId: stamp.actorId, at, sequence: 0, ...details, stamp, planId, stepKey, unitId, organiserId: stamp.actorId, attendeeIds },
    },
  ];
}

function revise(command: ReviseSession, state: SessionState): Events {
  const { sessionId, at, stamp } = command.data;
  if (!validStamp(stamp)) throw new SessionStampInvalidError(sessionId);
  const session = scheduled(state, sessionId, 'be revised');
  const details = detailsOf(sessionId, command.data, session.attendeeIds.length);
  if (sameDetails(session, details)) return [];
  const sequence = visibleChange(session, details) ? session.sequence + 1 : session.sequence;
  return [{ type: 'SessionRevised', data: { sessionId, actorId: stamp.actorId, at, sequence, ...details, stamp } }];
}

function assign(command: AssignPresenter, state: SessionState): Events {
  const { sessionId, actorId, at, presenterId, bookingId } = command.data;
  const session = scheduled(state, sessionId, 'get a presenter');
  if (session.bookingId === bookingId) return [];
  if (session.presenterId !== null && session.bookingId !== null) throw new SessionPresenterTakenError(sessionId, session.presenterId, session.bookingId);
  return [{ type: 'SessionPresenterAssigned', data: { sessionId, actorId, at, sequence: session.sequence + 1, presenterId, bookingId } }];
}

function unassign(command: UnassignPresenter, state: SessionState): Events {
  const { sessionId, actorId, at, bookingId } = command.data;
  const session = existing(state, sessionId);
  // Another booking, or none: this one no longer presents anyway (a late or repeated message).
  if (session.status === 'cancelled' || session.bookingId !== bookingId || session.presenterId === null) return [];
  return [{ type: 'SessionPresenterUnassigned', data: { sessionId, actorId, at, sequence: session.sequence + 1, presenterId: session.presenterId, bookingId } }];
}

function cancel(command: CancelSession, state: SessionState): Events {
  const { sessionId, actorId, at, reason, stamp } = command.data;
  requireStamp(sessionId, stamp);
  const session = existing(state, sessionId);
  if (session.status === 'cancelled') return [];
  if (blank(reason)) throw new SessionDetailsInvalidError(sessionId, 'cancelling needs a reason');
  return [{ type: 'SessionCancelled', data: { sessionId, actorId, at, sequence: session.sequence + 1, reason: reason.trim(), stamp, presenterId: session.presenterId } }];
}

function handOver(command: HandOverSession, state: SessionState): Events {
  const { sessionId, actorId, at, toOrganiserId, reason, mandateId } = command.data;
  if (blank(toOrganiserId)) throw new SessionDetailsInvalidError(sessionId, 'a hand-over names the new organiser');
  const session = existing(state, sessionId);
  // A cancelled session's organiser is history; the same organiser again is a retry.
  if (session.status === 'cancelled' || session.organiserId === toOrganiserId) return [];
  return [
    {
      type: 'SessionHandedOver',
      data: { sessionId, actorId, at, sequence: session.sequence + 1, fromOrganiserId: session.organiserId, toOrganiserId, reason, mandateId },
    },
  ];
}

// ---------------------------------------------------------------------------------------------

const onExisting = (state: SessionState, update: (session: ExistingSession) => ExistingSession): SessionState => (state.status === 'none' ? state : update(state));

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  const { at, sequence } = event.data;
  switch (event.type) {
    case 'SessionScheduled': {
      const { sessionId, planId, stepKey, unitId, organiserId, attendeeIds, title, from, to, location, link, capacity, presenterSlot } = event.data;
      return {
        status: 'scheduled',
        sessionId,
        planId,
        stepKey,
        unitId,
        organiserId,
        attendeeIds,
        title,
        from,
        to,
        location,
        link,
        capacity,
        presenterSlot,
        presenterId: null,
        bookingId: null,
        sequence,
        changedAt: at,
      };
    }
    case 'SessionRevised': {
      const { title, from, to, location, link, capacity, presenterSlot } = event.data;
      return onExisting(state, (session) => ({ ...session, title, from, to, location, link, capacity, presenterSlot, sequence, changedAt: sequence === session.sequence ? session.changedAt : at }));
    }
    case 'SessionPresenterAssigned':
      return onExisting(state, (session) => ({ ...session, presenterId: event.data.presenterId, bookingId: event.data.bookingId, sequence, changedAt: at }));
    case 'SessionPresenterUnassigned':
      return onExisting(state, (session) => ({ ...session, presenterId: null, bookingId: null, sequence, changedAt: at }));
    case 'SessionCancelled':
      return onExisting(state, (session) => ({ ...session, status: 'cancelled', sequence, changedAt: at }));
    case 'SessionHandedOver':
      return onExisting(state, (session) => ({ ...session, organiserId: event.data.toOrganiserId, sequence, changedAt: at }));
    default:
      return assertNever(event);
  }
}

/** The session aggregate (stream `session-<id>`, see `sessionStreamName`). */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveSession,
  decide(command, state) {
    switch (command.type) {
      case 'ScheduleSession':
        return schedule(command, state);
      case 'ReviseSession':
        return revise(command, state);
      case 'AssignPresenter':
        return assign(command, state);
      case 'UnassignPresenter':
        return unassign(command, state);
      case 'CancelSession':
        return cancel(command, state);
      case 'HandOverSession':
        return handOver(command, state);
      default:
        return assertNever(command);
    }
  },
};
