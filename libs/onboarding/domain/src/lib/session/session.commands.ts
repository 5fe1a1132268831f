import type { TimeWindow } from '../shared/instant';
import type { DecisionStamp, PresenterAddress } from '../shared/onboarding-vocabulary';
import type { HandOverReason } from '../plan/plan.commands';

/*
 * Commands of the session decider (stream `session-<id>`). A session is the calendar event of a
 * plan's session step: its time and place (from the plan), its presenter (from the confirmed
 * booking), its organiser, and the SEQUENCE its invitations carry.
 */

interface SessionCommandData {
  readonly sessionId: string;
  readonly at: string;
}

/** What attendees see of a session, and the presenter slot it asks for. */
export interface SessionDetails extends TimeWindow {
  readonly title: string;
  readonly location: string | null;
  readonly link: string | null;
  readonly capacity: number | null;
  /** Who should present: a person, a role or a skill; null when nobody presents (a self-study slot). */
  readonly presenterSlot: PresenterAddress | null;
}

/** Schedules the session of a plan step (after the plan was generated or the step added). */
export interface ScheduleSession {
  readonly type: 'ScheduleSession';
  readonly data: SessionCommandData &
    SessionDetails & {
      readonly stamp: DecisionStamp;
      readonly planId: string;
      readonly stepKey: string;
      readonly unitId: string;
      /** The newcomers who attend (the plan's newcomer; more when several share it). */
      readonly attendeeIds: readonly string[];
    };
}

/** The plan step changed: the session takes its new time and details. */
export interface ReviseSession {
  readonly type: 'ReviseSession';
  readonly data: SessionCommandData & SessionDetails & { readonly stamp: DecisionStamp };
}

/** A booking was confirmed: its person presents. */
export interface AssignPresenter {
  readonly type: 'AssignPresenter';
  readonly data: SessionCommandData & { readonly actorId: string; readonly presenterId: string; readonly bookingId: string };
}

/** The confirmed booking ended (released, withdrawn or cancelled): nobody presents until the next one is confirmed. */
export interface UnassignPresenter {
  readonly type: 'UnassignPresenter';
  readonly data: SessionCommandData & { readonly actorId: string; readonly bookingId: string };
}

/** The step was removed or the plan no longer has the session: invitations are withdrawn (METHOD:CANCEL). */
export interface CancelSession {
  readonly type: 'CancelSession';
  readonly data: SessionCommandData & { readonly actorId: string; readonly reason: string; readonly stamp: DecisionStamp | null };
}

/** The organiser changes with the onboarding mandate. */
export interface HandOverSession {
  readonly type: 'HandOverSession';
  readonly data: SessionCommandData & {
    readonly actorId: string;
    readonly toOrganiserId: string;
    readonly reason: HandOverReason;
    readonly mandateId: string | null;
  };
}

export type SessionCommand = ScheduleSession | ReviseSession | AssignPresenter | UnassignPresenter | CancelSession | HandOverSession;
