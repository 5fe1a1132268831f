import type { LoggerService } from '@nestjs/common';
import { dueActions, nextWakeUp, SCHEDULER_ACTOR_ID, type ScheduledAction } from '@leadership/delegation-domain';
import { deterministicId, type CommandContext } from '@leadership/kernel';
import { childTraceparent } from '@leadership/platform-nest';
import type { DelegationParts } from '../delegation-parts';

/** Category of the streams holding reminders the scheduler issued (one stream per mandate). */
export const REMINDER_STREAM_CATEGORY = 'reminder';

/** A reminder that a mandate expires soon or is due for review; published for notifications. */
export interface MandateReminderDue {
  readonly mandateId: string;
  readonly kind: 'expiry-reminder' | 'review-reminder';
  readonly dueAt: string;
  readonly delegateId: string;
  readonly delegatorId: string;
  readonly daysBefore: number | null;
  readonly until: string | null;
  readonly at: string;
}

export interface SchedulerTickResult {
  readonly due: number;
  readonly applied: number;
  readonly failed: number;
  /** The pass read nothing: no event since the last full pass, and nothing becomes due before `nextDueAt`. */
  readonly idle?: boolean;
}

/** A full pass at least this often even when idle (belt and braces against a wake-up time computed wrong). */
const MAX_IDLE_MS = 60_000;

/** What the scheduler uses of the context: the units and mandates as they stand now, the scheduled commands, the store for reminders. */
export type SchedulerParts = Pick<DelegationParts, 'authority' | 'mandates' | 'store' | 'now'>;

/**
 * Runs the pure scheduler decisions (`dueActions`) every interval on the units and mandates as
 * they stand now (`CurrentAuthority`, caught up from the local event store at the start of each
 * pass: a pass decides on every command committed before it, whatever the read model's lag or
 * health — issue #11: a stale view could activate a mandate that was revoked meanwhile). Restart-safe
 * and idempotent: every action carries a stable key; commands use it to derive their event ids
 * and are no-ops once applied (the decider sees the new state); reminders are events with an id
 * derived from the key, which the event store stores once however often they are issued.
 */
export class DelegationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SchedulerTickResult> | undefined;
  /*
   * What the last full pass saw: the position of the last event applied and the next instant anything becomes
   * due (`nextWakeUp`). Until an event arrives or that instant comes, a pass has nothing to
   * decide and skips loading every live mandate and unit (issue #11: that load ran every second).
   */
  private lastPosition: bigint | undefined | null = null;
  private nextDueMs = 0;
  private lastFullPassMs = 0;

  constructor(
    private readonly services: SchedulerParts,
    private readonly intervalMs: number,
    private readonly logger?: LoggerService,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick().catch((e: unknown) => this.logger?.error(e instanceof Error ? e : String(e), 'scheduler')), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share the pass in progress. */
  tick(): Promise<SchedulerTickResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<SchedulerTickResult> {
    const { authority } = this.services;
    // Decide only on everything committed so far (read from the local store, never a lagging copy).
    await authority.catchUp();
    const now = this.services.now().toISOString();
    const nowMs = Date.parse(now);
    const position = authority.position;
    if (position === this.lastPosition && nowMs < this.nextDueMs && nowMs - this.lastFullPassMs < MAX_IDLE_MS) return { due: 0, applied: 0, failed: 0, idle: true };
    const mandates = await authority.liveMandates();
    const actions = dueActions({ mandates, units: await authority.currentUnits(), now });
    this.lastPosition = position;
    this.lastFullPassMs = nowMs;
    const wakeUp = nextWakeUp(mandates, now);
    // Actions append events (the position moves, so the next pass is full anyway); a failed one is retried next pass.
    this.nextDueMs = actions.length > 0 ? 0 : wakeUp === null ? Number.POSITIVE_INFINITY : Date.parse(wakeUp);
    let applied = 0;
    let failed = 0;
    // No request started this work, so the pass starts a trace; each action is a span of it, and
    // its events carry the trace context on to Kafka like those of a request (brief: trace context on every event).
    const passTrace = childTraceparent(undefined);
    for (const action of actions) {
      const context: CommandContext = {
        actorId: SCHEDULER_ACTOR_ID,
        idempotencyKey: action.idempotencyKey,
        correlationId: deterministicId(action.idempotencyKey),
        traceparent: childTraceparent(passTrace),
      };
      try {
        await this.run(action, context, now);
        applied++;
      } catch (error) {
        // One failing mandate must not block the others; the next pass retries it.
        failed++;
        this.logger?.warn({ msg: 'scheduled action failed', action: action.idempotencyKey, error: error instanceof Error ? error.message : String(error) }, 'scheduler');
      }
    }
    return { due: actions.length, applied, failed };
  }

  private async run(action: ScheduledAction, context: CommandContext, now: string): Promise<void> {
    const { mandates, store } = this.services;
    switch (action.kind) {
      case 'activate':
        await mandates.activate.execute({ mandateId: action.mandateId, at: now }, context);
        return;
      case 'expire':
        await mandates.expire.execute({ mandateId: action.mandateId, at: now }, context);
        return;
      case 'flag-for-reconfirmation':
        await mandates.flagForReconfirmation.execute({ mandateId: action.mandateId, at: now }, context);
        return;
      case 'expiry-reminder':
      case 'review-reminder': {
        const data: MandateReminderDue = {
          mandateId: action.mandateId,
          kind: action.kind,
          dueAt: action.dueAt,
          delegateId: action.delegateId,
          delegatorId: action.delegatorId,
          daysBefore: action.kind === 'expiry-reminder' ? action.daysBefore : null,
          until: action.kind === 'expiry-reminder' ? action.until : null,
          at: now,
        };
        await store.appendToStream(
          `${REMINDER_STREAM_CATEGORY}-${action.mandateId}`,
          [
            {
              type: 'MandateReminderDue',
              data,
              metadata: { eventId: deterministicId(action.idempotencyKey), actor: SCHEDULER_ACTOR_ID, correlationId: context.correlationId, traceparent: context.traceparent },
            },
          ],
          'any',
        );
        return;
      }
    }
  }
}
