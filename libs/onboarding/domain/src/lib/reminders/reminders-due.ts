import { deterministicId } from '@leadership/kernel';
import { epochOf, instantAt, isBefore } from '../shared/instant';
import { localDateOf, plusDays, zonedInstant } from '../shared/local-time';
import type { TaskOwnerRole } from '../shared/onboarding-vocabulary';
import type { ExistingPlan } from '../plan/plan.decider';
import type { PlanStep } from '../plan/plan-step';
import type { ExistingSession } from '../session/session.decider';

/*
 * Reminders and escalations as a pure function of a plan and the time. Nothing remembers that a
 * reminder is pending: the scheduler asks "what is due now?" on every pass (and after every
 * restart), publishes what it gets, and the stable `reminderId` (used as the event id) makes a
 * repeat a no-op. A reminder therefore cannot be lost by a crash between two passes, which is how
 * reminders in ChiefOnboarding silently stopped: they lived in a queue of scheduled jobs.
 */

/** A person, or a role of the unit that notifications resolves when it sends (falling back to the formal manager). */
export type ReminderRecipient = { readonly personId: string } | { readonly role: 'onboarding' | 'formal-manager' | Exclude<TaskOwnerRole, 'newcomer' | 'manager'>; readonly unitId: string };

export type TaskReminderKind = 'task-due-soon' | 'task-overdue' | 'task-overdue-escalated';

export interface TaskReminder {
  readonly reminderId: string;
  readonly kind: TaskReminderKind;
  readonly newcomerId: string;
  readonly unitId: string;
  readonly stepKey: string;
  readonly dueAt: string;
  /** task-due-soon: the days before the due date. */
  readonly daysBefore: number | null;
  readonly recipient: ReminderRecipient;
  /** When it became due. */
  readonly fireAt: string;
}

export interface ReminderPolicy {
  /** Days before the due date on which the owner is reminded. */
  readonly daysBefore: readonly number[];
  /**
   * Local time of the reminders, in the recipient's zone. 09:00: the start of a working day, so the
   * reminder is read at work and in time to act that day; not "168 hours before", which for a task
   * due at midnight would wake the owner at night.
   */
  readonly localTime: string;
  /** Days after the last day of an overdue task on which it goes up to the formal manager (at `localTime`). */
  readonly escalateAfterDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { daysBefore: [7, 2], localTime: '09:00', escalateAfterDays: 3 };

/** Who a task's reminders go to: the owner (a role of the newcomer's unit when the owner is a role). */
function ownerRecipient(plan: ExistingPlan, step: PlanStep): ReminderRecipient | undefined {
  const owner = step.owner;
  if (owner === null) return undefined;
  if (typeof owner !== 'string') return { personId: owner.personId };
  if (owner === 'newcomer') return { personId: plan.newcomerId };
  if (owner === 'manager') return { role: 'formal-manager', unitId: plan.unitId };
  return { role: owner, unitId: plan.unitId };
}

/**
 * The last local day on which the task is done in time: the deadline's day, or the day before when
 * the deadline is midnight (a task "on Tuesday" is due when Wednesday begins).
 */
const lastDay = (due: string, zone: string): string => localDateOf(instantAt(epochOf(due) - 1), zone);

const reminderId = (planId: string, key: string, kind: TaskReminderKind, daysBefore: number | null, dueAt: string): string =>
  // The deadline is part of the id: a moved deadline is reminded of again; the old one is no longer computed.
  deterministicId('onboarding-reminder', planId, key, kind, String(daysBefore ?? ''), dueAt);

/**
 * The task reminders due at `now`: for every open task of an active plan, the latest "due soon"
 * reminder whose time has come (an earlier one it supersedes is not sent late), the overdue notice
 * to the onboarding manager from the deadline on, and the escalation to the formal manager
 * `escalateAfterDays` local days later. `timeZoneOf` gives a named owner's zone (the newcomer's
 * zone otherwise). Sorted by fire time, then step.
 */
export function remindersDue(
  plan: ExistingPlan,
  now: string,
  timeZoneOf: (personId: string) => string | undefined = () => undefined,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): readonly TaskReminder[] {
  if (plan.status !== 'active') return [];
  const reminders: TaskReminder[] = [];
  for (const step of plan.steps) {
    if (step.kind !== 'task' || step.status !== 'open' || step.due === null) continue;
    const due = step.due;
    const base = { newcomerId: plan.newcomerId, unitId: plan.unitId, stepKey: step.key, dueAt: due };
    if (isBefore(now, due)) {
      const recipient = ownerRecipient(plan, step);
      if (!recipient) continue;
      const zone = ('personId' in recipient ? timeZoneOf(recipient.personId) : undefined) ?? plan.timeZone;
      const dueDate = lastDay(due, zone);
      const fired = policy.daysBefore
        .map((days) => ({ days, fireAt: zonedInstant(plusDays(dueDate, -days), policy.localTime, zone) }))
        .filter(({ fireAt }) => !isBefore(now, fireAt) && isBefore(fireAt, due))
        .sort((a, b) => a.days - b.days);
      const latest = fired[0];
      if (latest) reminders.push({ reminderId: reminderId(plan.planId, step.key, 'task-due-soon', latest.days, due), kind: 'task-due-soon', ...base, daysBefore: latest.days, recipient, fireAt: latest.fireAt });
      continue;
    }
    const manager: ReminderRecipient = { personId: plan.organiserId };
    reminders.push({ reminderId: reminderId(plan.planId, step.key, 'task-overdue', null, due), kind: 'task-overdue', ...base, daysBefore: null, recipient: manager, fireAt: due });
    const escalateAt = zonedInstant(plusDays(lastDay(due, plan.timeZone), policy.escalateAfterDays), policy.localTime, plan.timeZone);
    if (!isBefore(now, escalateAt)) {
      reminders.push({
        reminderId: reminderId(plan.planId, step.key, 'task-overdue-escalated', null, due),
        kind: 'task-overdue-escalated',
        ...base,
        daysBefore: null,
        recipient: { role: 'formal-manager', unitId: plan.unitId },
        fireAt: escalateAt,
      });
    }
  }
  return reminders.sort((a, b) => Date.parse(a.fireAt) - Date.parse(b.fireAt) || a.stepKey.localeCompare(b.stepKey) || a.kind.localeCompare(b.kind));
}

export interface SessionReminder {
  readonly reminderId: string;
  readonly kind: 'session-tomorrow';
  readonly sessionId: string;
  readonly newcomerIds: readonly string[];
  readonly presenterId: string | null;
  readonly startsAt: string;
  readonly fireAt: string;
}

/**
 * The "tomorrow" reminder of a scheduled session: at `localTime` on the local day before it, in the
 * newcomer's zone, until it starts. Its id carries the start, so a moved session is reminded of again.
 */
export function sessionReminderDue(session: ExistingSession, timeZone: string, now: string, localTime = DEFAULT_REMINDER_POLICY.localTime): SessionReminder | undefined {
  if (session.status !== 'scheduled' || !isBefore(now, session.from)) return undefined;
  const fireAt = zonedInstant(plusDays(localDateOf(session.from, timeZone), -1), localTime, timeZone);
  if (isBefore(now, fireAt)) return undefined;
  return {
    reminderId: deterministicId('onboarding-session-reminder', session.sessionId, session.from),
    kind: 'session-tomorrow',
    sessionId: session.sessionId,
    newcomerIds: session.attendeeIds,
    presenterId: session.presenterId,
    startsAt: session.from,
    fireAt,
  };
}
