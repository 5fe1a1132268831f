import type { DecisionStamp } from '../shared/onboarding-vocabulary';
import type { HandOverReason } from '../plan/plan.commands';
import type { SessionDetails } from './session.commands';

/*
 * Events of the session stream (`session-<id>`). `sequence` is the iCalendar SEQUENCE after the
 * event: it rises with every change an attendee sees (time, place, title, presenter, organiser,
 * cancellation), so calendars replace the older invitation instead of showing both.
 */

interface SessionEventData {
  readonly sessionId: string;
  readonly actorId: string;
  readonly at: string;
  readonly sequence: number;
}

export interface SessionScheduled {
  readonly type: 'SessionScheduled';
  readonly data: SessionEventData &
    SessionDetails & {
      readonly stamp: DecisionStamp;
      readonly planId: string;
      readonly stepKey: string;
      readonly unitId: string;
      /** The organiser: who decided to schedule it (the onboarding manager). */
      readonly organiserId: string;
      readonly attendeeIds: readonly string[];
    };
}

export interface SessionRevised {
  readonly type: 'SessionRevised';
  readonly data: SessionEventData & SessionDetails & { readonly stamp: DecisionStamp };
}

export interface SessionPresenterAssigned {
  readonly type: 'SessionPresenterAssigned';
  readonly data: SessionEventData & { readonly presenterId: string; readonly bookingId: string };
}

export interface SessionPresenterUnassigned {
  readonly type: 'SessionPresenterUnassigned';
  readonly data: SessionEventData & { readonly presenterId: string; readonly bookingId: string };
}

export interface SessionCancelled {
  readonly type: 'SessionCancelled';
  /** `presenterId`: who presented when it was cancelled (their time is free again). */
  readonly data: SessionEventData & { readonly reason: string; readonly stamp: DecisionStamp | null; readonly presenterId: string | null };
}

export interface SessionHandedOver {
  readonly type: 'SessionHandedOver';
  readonly data: SessionEventData & {
    readonly fromOrganiserId: string;
    readonly toOrganiserId: string;
    readonly reason: HandOverReason;
    readonly mandateId: string | null;
  };
}

/** The one event union of the session aggregate. */
export type SessionEvent = SessionScheduled | SessionRevised | SessionPresenterAssigned | SessionPresenterUnassigned | SessionCancelled | SessionHandedOver;
