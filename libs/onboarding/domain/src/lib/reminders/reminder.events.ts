import type { SessionReminder, TaskReminder } from './reminders-due';

/*
 * The reminder ledger (stream `reminder-<reminderId>`): the scheduler appends one event when a
 * reminder fires, at "no stream yet", so a reminder computed again (the next pass, a restart, a
 * second scheduler) is refused by the store instead of sent twice. The relay publishes it.
 */

interface Fired {
  readonly actorId: string;
  /** When the scheduler fired it (at or after `fireAt`). */
  readonly at: string;
}

export interface TaskReminderFired {
  readonly type: 'TaskReminderFired';
  readonly data: TaskReminder & Fired;
}

export interface SessionReminderFired {
  readonly type: 'SessionReminderFired';
  /** One newcomer's session (`newcomerId` is the plan), with what the reminder shows. */
  readonly data: SessionReminder &
    Fired & { readonly newcomerId: string; readonly unitId: string; readonly title: string; readonly place: string | null };
}

/** The one event union of the reminder ledger. */
export type ReminderEvent = TaskReminderFired | SessionReminderFired;
