import { deterministicId } from '@leadership/kernel';
import { addMinutes } from '../shared/instant';
import { plusDays, zonedInstants, type ZonedInstant } from '../shared/local-time';
import type { StepDefinition } from '../step/step-definition';

/*
 * A step of one newcomer's plan: the definition (copied from a programme version, or written for
 * this newcomer) placed on the calendar of the newcomer's start date and time zone.
 */

/** Where a step came from: a programme version, or null when it was added to this plan only. */
export interface StepOrigin {
  readonly programmeId: string;
  readonly version: number;
}

export type PlanStepStatus = 'open' | 'done' | 'removed';

export interface PlanStep extends StepDefinition {
  readonly origin: StepOrigin | null;
  /** The local calendar day of the step in the newcomer's zone (start date + day offset). */
  readonly localDate: string;
  /** Sessions: start and end instants (UTC). */
  readonly start: string | null;
  readonly end: string | null;
  /** Tasks: the instant by which they are due. */
  readonly due: string | null;
  /** Sessions: the session aggregate that holds its bookings and calendar invitations. */
  readonly sessionId: string | null;
  readonly status: PlanStepStatus;
  readonly doneAt: string | null;
  readonly doneBy: string | null;
  readonly removedAt: string | null;
  readonly removedBy: string | null;
  readonly removedReason: string | null;
}

/**
 * The session of a plan step. Derived from plan and key, and keys are never reused within a plan
 * (a removed step keeps its key in the history), so a retried generation or addition finds the
 * same session and one plan step never stands for two sessions.
 */
export const sessionIdFor = (planId: string, key: string): string => deterministicId('onboarding-session', planId, key);

/**
 * Places a step on the calendar. A session starts at its local time on its day and lasts its
 * duration in elapsed minutes (a one-hour session across the October change still lasts one hour;
 * its local end is read back in the zone). A task is due at its local time on its day, or at the
 * end of that day when it has none. `instantOf`: the plan's zone (one shared by the steps of a
 * plan reads each zone offset once).
 */
export function scheduleStep(
  step: StepDefinition,
  plan: { readonly planId: string; readonly startDate: string; readonly timeZone: string },
  origin: StepOrigin | null,
  instantOf: ZonedInstant = zonedInstants(plan.timeZone),
): PlanStep {
  const localDate = plusDays(plan.startDate, step.dayOffset);
  const isSession = step.kind === 'session';
  const start = isSession && step.time !== null ? instantOf(localDate, step.time) : null;
  const end = start !== null && step.durationMinutes !== null ? addMinutes(start, step.durationMinutes) : null;
  const due = isSession ? null : step.time !== null ? instantOf(localDate, step.time) : instantOf(plusDays(localDate, 1), '00:00');
  // Field by field, not `{ ...step, origin, … }`: on Node 20's V8 every property written after a
  // leading spread is a slow store (about 1 µs each, so 20 µs per step, 40 steps a plan), and the
  // definition's fields are exactly these (StepDefinition's fixed order, as the events keep it).
  return {
    key: step.key,
    kind: step.kind,
    title: step.title,
    dayOffset: step.dayOffset,
    time: step.time,
    durationMinutes: step.durationMinutes,
    capacity: step.capacity,
    audience: step.audience,
    location: step.location,
    link: step.link,
    presenter: step.presenter,
    owner: step.owner,
    after: step.after,
    origin,
    localDate,
    start,
    end,
    due,
    sessionId: isSession ? sessionIdFor(plan.planId, step.key) : null,
    status: 'open',
    doneAt: null,
    doneBy: null,
    removedAt: null,
    removedBy: null,
    removedReason: null,
  };
}

/** The definition part of a plan step (what an edit changes and validation checks). */
export function definitionOf(step: PlanStep): StepDefinition {
  const { key, kind, title, dayOffset, time, durationMinutes, capacity, audience, location, link, presenter, owner, after } = step;
  return { key, kind, title, dayOffset, time, durationMinutes, capacity, audience, location, link, presenter, owner, after };
}
