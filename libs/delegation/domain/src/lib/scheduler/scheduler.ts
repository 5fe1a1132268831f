import { addDays, compareInstants, isAtOrAfter, isBefore } from '../shared/instant';
import { AuthorityIndex, type AuthorityUnit } from '../authority/authority';
import type { ActivateMandate, ExpireMandate, FlagMandateForReconfirmation } from '../mandate/mandate.commands';
import { reviewDueAt, type MandateSnapshot } from '../mandate/mandate.queries';

/*
 * Scheduler decisions: given the mandates as projected and the current instant, what is due.
 * Pure and derived only from state, so a restarted scheduler recomputes the same list: commands
 * drop out once their events are applied (and the decider treats repeats as no-ops); reminders
 * stay listed while their window lasts, and the application sends each `idempotencyKey` once
 * (e.g. a unique index on the key in its outbox). Neither skipped nor doubled.
 */

/** Actor id the scheduler's commands carry. */
export const SCHEDULER_ACTOR_ID = 'system:scheduler';

/** Days before `until` at which the parties are reminded; each reminder has its own window. */
export const EXPIRY_REMINDER_DAYS = [7, 1] as const;
export type ExpiryReminderDays = (typeof EXPIRY_REMINDER_DAYS)[number];

interface DueBase {
  readonly mandateId: string;
  /** When it became due (deterministic, from the mandate's state). */
  readonly dueAt: string;
  /** Stable across restarts; changes when the underlying fact changes (e.g. an extension moves `until`). */
  readonly idempotencyKey: string;
}

export type ScheduledAction =
  | (DueBase & { readonly kind: 'activate'; readonly command: ActivateMandate })
  | (DueBase & { readonly kind: 'expire'; readonly command: ExpireMandate })
  | (DueBase & { readonly kind: 'flag-for-reconfirmation'; readonly command: FlagMandateForReconfirmation })
  | (DueBase & {
      readonly kind: 'expiry-reminder';
      readonly daysBefore: ExpiryReminderDays;
      readonly until: string;
      readonly delegateId: string;
      readonly delegatorId: string;
    })
  | (DueBase & { readonly kind: 'review-reminder'; readonly delegateId: string; readonly delegatorId: string });

export interface SchedulerInput {
  readonly mandates: readonly MandateSnapshot[];
  /** Current units and their formal managers: a delegator who left them loses the basis of their mandates. */
  readonly units: readonly AuthorityUnit[];
  readonly now: string;
}

const LIVE = new Set(['proposed', 'accepted', 'active', 'suspended']);

function reconfirmationDue(mandate: MandateSnapshot, index: AuthorityIndex, byId: ReadonlyMap<string, MandateSnapshot>, now: string): ScheduledAction[] {
  if (mandate.reconfirmation !== null) return [];
  const { mandateId, basis, delegatorId } = mandate;
  let reason: FlagMandateForReconfirmation['data']['reason'];
  let key: string;
  if (basis.kind === 'formal-manager') {
    if (index.managedUnit(delegatorId, mandate.scope.unitId) !== null) return [];
    reason = 'delegator-no-longer-manages';
    key = `reconfirm:${mandateId}:${delegatorId}`;
  } else {
    const parent = byId.get(basis.mandateId);
    // A suspended basis is a pause, not an end: only a basis that is over (or unknown) triggers the flag.
    if (parent !== undefined && LIVE.has(parent.status)) return [];
    reason = 'basis-mandate-ended';
    key = `reconfirm:${mandateId}:${basis.mandateId}`;
  }
  const command: FlagMandateForReconfirmation = {
    type: 'FlagMandateForReconfirmation',
    data: { mandateId, actorId: SCHEDULER_ACTOR_ID, at: now, reason },
  };
  return [{ kind: 'flag-for-reconfirmation', mandateId, dueAt: now, idempotencyKey: key, command }];
}

function dueFor(mandate: MandateSnapshot, index: AuthorityIndex, byId: ReadonlyMap<string, MandateSnapshot>, now: string): ScheduledAction[] {
  if (!LIVE.has(mandate.status)) return [];
  const { mandateId, period, delegateId, delegatorId } = mandate;
  if (isAtOrAfter(now, period.until)) {
    const command: ExpireMandate = { type: 'ExpireMandate', data: { mandateId, actorId: SCHEDULER_ACTOR_ID, at: now } };
    return [{ kind: 'expire', mandateId, dueAt: period.until, idempotencyKey: `expire:${mandateId}:${period.until}`, command }];
  }
  const actions: ScheduledAction[] = reconfirmationDue(mandate, index, byId, now);
  if (mandate.status === 'accepted' && isAtOrAfter(now, period.from)) {
    const command: ActivateMandate = { type: 'ActivateMandate', data: { mandateId, actorId: SCHEDULER_ACTOR_ID, at: now } };
    actions.push({ kind: 'activate', mandateId, dueAt: period.from, idempotencyKey: `activate:${mandateId}:${period.from}`, command });
  }
  if (mandate.status !== 'proposed') {
    // Each reminder's window ends where the next (closer) one begins, so a scheduler that was down
    // sends the reminder that still makes sense rather than a stale "7 days left" a day before.
    EXPIRY_REMINDER_DAYS.forEach((daysBefore, position) => {
      const opens = addDays(period.until, -daysBefore);
      const closer = EXPIRY_REMINDER_DAYS[position + 1];
      const closes = closer === undefined ? period.until : addDays(period.until, -closer);
      if (!isAtOrAfter(now, opens) || !isBefore(now, closes)) return;
      actions.push({
        kind: 'expiry-reminder',
        mandateId,
        dueAt: opens,
        idempotencyKey: `expiry-reminder:${mandateId}:${period.until}:${daysBefore}d`,
        daysBefore,
        until: period.until,
        delegateId,
        delegatorId,
      });
    });
  }
  const reviewAt = mandate.status === 'active' ? reviewDueAt(mandate) : null;
  if (reviewAt !== null && isAtOrAfter(now, reviewAt)) {
    actions.push({
      kind: 'review-reminder',
      mandateId,
      dueAt: reviewAt,
      idempotencyKey: `review-reminder:${mandateId}:${reviewAt}`,
      delegateId,
      delegatorId,
    });
  }
  return actions;
}

/** Everything due at `now`, ordered by due time then key. */
export function dueActions(input: SchedulerInput): ScheduledAction[] {
  const index = new AuthorityIndex({ units: input.units, mandates: input.mandates });
  const byId = new Map(input.mandates.map((mandate) => [mandate.mandateId, mandate]));
  return input.mandates
    .flatMap((mandate) => dueFor(mandate, index, byId, input.now))
    .sort((a, b) => compareInstants(a.dueAt, b.dueAt) || (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
}

/**
 * The earliest instant after `now` at which something time-driven becomes due (start, end, a
 * reminder window, a review), or null; lets the scheduler sleep until then. Directory changes
 * are events, so the scheduler re-evaluates on those as well.
 */
export function nextWakeUp(mandates: readonly MandateSnapshot[], now: string): string | null {
  const candidates = mandates.flatMap((mandate) => {
    if (!LIVE.has(mandate.status)) return [];
    const times = [mandate.period.until];
    if (mandate.status === 'accepted') times.push(mandate.period.from);
    if (mandate.status !== 'proposed') times.push(...EXPIRY_REMINDER_DAYS.map((days) => addDays(mandate.period.until, -days)));
    const reviewAt = reviewDueAt(mandate);
    if (reviewAt !== null) times.push(reviewAt);
    return times;
  });
  const future = candidates.filter((time) => isBefore(now, time)).sort(compareInstants);
  return future[0] ?? null;
}
