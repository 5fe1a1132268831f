import type { Registry } from 'prom-client';
import {
  IntegrationEventRegistry,
  type AnyIntegrationEventContract,
  type CloudEventOf,
} from '@leadership/messaging-contracts';
import { backoffDelay, type BackoffPolicy } from '../shared/backoff';
import { CloudEventDecodeError, type IncomingKafkaRecord } from '../shared/cloud-event.codec';
import { defaultMessagingLogger, errorMessage, type MessagingLogger } from '../shared/messaging-logger';
import { CloudEventsDeserializer } from './cloud-events.deserializer';
import { ConsumerMetrics, type MessageOutcome } from './consumer.metrics';
import type { DeadLetter, DeadLetterPublisher, DeadLetterReason } from './dead-letter.publisher';
import type { ProcessedEventStore } from './processed-event.store';

/** What a handler learns about the message besides the event. */
export interface IntegrationEventHandlerContext {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
  /** Keeps the group membership alive during long work (errors are ignored here). */
  heartbeat(): Promise<void>;
}

/** Handles one validated event; thrown errors are retried, then the message is parked. */
export type HandleIntegrationEvent<C extends AnyIntegrationEventContract> = (
  event: CloudEventOf<C>,
  context: IntegrationEventHandlerContext,
) => Promise<void>;

/** Thrown by a handler for a failure that no retry can fix: the message is parked at once. */
export class NonRetriableError extends Error {
  override readonly name = 'NonRetriableError';
}

/** A record with its place in the log. */
export interface DeliveredRecord extends IncomingKafkaRecord {
  readonly partition: number;
  readonly offset: string;
}

/** How the loop that feeds the processor lets it heartbeat and tells it to give up. */
export interface ProcessControls {
  heartbeat(): Promise<void>;
  /** False once the consumer stops or the partition was taken away. */
  shouldContinue(): boolean;
}

/** `aborted`: given up before any effect because the consumer is stopping; do not commit it. */
export type ProcessResult = MessageOutcome | 'aborted';

/**
 * How a redelivered message is recognised:
 * - `event-id`: the processor records each handled `ce_id` per group in `store` and skips a
 *   `ce_id` it finds there (for effects that are not idempotent by themselves: an e-mail, an insert);
 * - `aggregate-version`: the handler's own write is guarded by the aggregate's version or revision
 *   carried in the data (e.g. `upsertIfNewer`), so a repeated or older version changes nothing and
 *   no extra record is needed (two fewer store round trips per message).
 */
export type DedupeStrategy =
  | {
      readonly by: 'event-id';
      readonly store: ProcessedEventStore;
      /**
       * Forget records older than this, in ms (the CloudEventsKafkaServer sweeps while it runs);
       * default: keep them for ever. A message redelivered after its record was forgotten takes
       * effect again, so choose more than the longest redelivery the group can see: the time a
       * consumer may stay down plus the uncommitted tail; not less than the topic's retention if
       * the group may ever be reset to the earliest offset.
       */
      readonly retentionMs?: number;
    }
  | { readonly by: 'aggregate-version' };

/** Options of {@link IntegrationEventProcessor}. */
export interface IntegrationEventProcessorOptions<C extends AnyIntegrationEventContract> {
  readonly group: string;
  /** The event types this consumer understands. */
  readonly contracts: readonly C[] | IntegrationEventRegistry<C>;
  /** The handler, unless each `process` call passes its own (as the Nest server does). */
  readonly handle?: HandleIntegrationEvent<C>;
  readonly dedupe: DedupeStrategy;
  readonly deadLetters: DeadLetterPublisher;
  /** Handler attempts before the message is parked (default 5). */
  readonly maxAttempts?: number;
  /** Back-off between handler attempts (default 200 ms … 10 s). */
  readonly retry?: BackoffPolicy;
  /**
   * Back-off while the processed-events store or the dead-letter topic is unreachable (default
   * 200 ms … 5 s). Those are retried without limit: parking a healthy message because our own
   * infrastructure is down would be wrong.
   */
  readonly infrastructureRetry?: BackoffPolicy;
  /**
   * A type on a subscribed topic without a contract here: `skip` (default: a topic carries
   * several types and a consumer handles those it needs; a new type is an additive change) or
   * `dead-letter`.
   */
  readonly unknownTypes?: 'skip' | 'dead-letter';
  /** Registry for the consumer metrics (default: prom-client's global one); `false`: none. */
  readonly metrics?: Registry | false;
  readonly logger?: MessagingLogger;
}

const ABORTED = Symbol('aborted');
/** Longest stretch without a heartbeat while waiting to retry. */
const HEARTBEAT_SLICE_MS = 500;

/**
 * One message from record to effect, independent of the loop that fetches it (the
 * CloudEventsKafkaServer, or a test): decode and validate against the contract → skip if the
 * group already processed the event id (with `dedupe.by = 'event-id'`) → handle, retrying with
 * back-off → record the event id as processed. Poison (undecodable, schema-invalid, or failing every attempt) is
 * parked on the dead-letter topic and the partition moves on.
 *
 * Exactly-once effect, as far as it goes: a redelivered message whose handling completed is
 * skipped. A crash after the handler's effect and before the record is written makes the next
 * delivery run the handler again, so a handler whose effect is not naturally idempotent should
 * guard it by the event id or revision in the same document write.
 */
export class IntegrationEventProcessor<C extends AnyIntegrationEventContract> {
  readonly registry: IntegrationEventRegistry<C>;
  readonly deserializer: CloudEventsDeserializer<C>;
  readonly group: string;
  private readonly maxAttempts: number;
  private readonly retry: BackoffPolicy;
  private readonly infrastructureRetry: BackoffPolicy;
  private readonly metrics: ConsumerMetrics | undefined;
  private readonly logger: MessagingLogger;

  constructor(private readonly options: IntegrationEventProcessorOptions<C>) {
    this.group = options.group;
    this.registry = options.contracts instanceof IntegrationEventRegistry ? options.contracts : new IntegrationEventRegistry(options.contracts);
    this.deserializer = new CloudEventsDeserializer(this.registry);
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError('maxAttempts must be a positive integer');
    this.retry = options.retry ?? { initialDelayMs: 200, maxDelayMs: 10_000 };
    this.infrastructureRetry = options.infrastructureRetry ?? { initialDelayMs: 200, maxDelayMs: 5000 };
    this.metrics = options.metrics === false ? undefined : ConsumerMetrics.for(options.metrics);
    this.logger = options.logger ?? defaultMessagingLogger;
  }

  /** The topics of the contracts: what the consumer subscribes to. */
  get topics(): readonly string[] {
    return this.registry.topics;
  }

  /** Processes one record; `handle` overrides the handler given in the options for this call. */
  async process(record: DeliveredRecord, controls: ProcessControls, handle: HandleIntegrationEvent<C> | undefined = this.options.handle): Promise<ProcessResult> {
    if (!handle) throw new TypeError(`consumer ${this.group}: no handler given to the processor`);
    const started = process.hrtime.bigint();
    const result = await this.run(record, controls, handle);
    if (result !== 'aborted') {
      const labels = { group: this.group, topic: record.topic };
      this.metrics?.messages.inc({ ...labels, outcome: result });
      this.metrics?.handlingSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
    return result;
  }

  private async run(record: DeliveredRecord, controls: ProcessControls, handle: HandleIntegrationEvent<C>): Promise<ProcessResult> {
    let event: CloudEventOf<C>;
    try {
      event = this.deserializer.deserialize(record).data;
    } catch (error) {
      if (!(error instanceof CloudEventDecodeError)) throw error;
      if (error.reason === 'unknown-type' && (this.options.unknownTypes ?? 'skip') === 'skip') return 'skipped';
      return this.park(record, error.reason === 'invalid-data' ? 'invalid-data' : 'undecodable', error.message, 0, controls);
    }

    const { dedupe } = this.options;
    if (dedupe.by === 'event-id') {
      const seen = await this.untilDone('read processed events', () => dedupe.store.isProcessed(this.group, event.id), controls, true);
      if (seen === ABORTED) return 'aborted';
      if (seen) return 'duplicate';
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await handle(event, {
          group: this.group,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          attempt,
          heartbeat: () => controls.heartbeat().catch(() => undefined),
        });
        break;
      } catch (error) {
        if (error instanceof NonRetriableError || attempt >= this.maxAttempts) {
          return this.park(record, 'handler-failed', errorMessage(error), attempt, controls);
        }
        this.metrics?.retries.inc({ group: this.group, topic: record.topic });
        const delay = backoffDelay(this.retry, attempt);
        this.logger.warn(`consumer ${this.group}: handler failed; retrying in ${delay} ms`, {
          group: this.group,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          eventId: event.id,
          type: event.type,
          attempt,
          error: errorMessage(error),
        });
        if (!(await this.wait(delay, controls))) return 'aborted';
      }
    }

    if (dedupe.by === 'aggregate-version') return 'handled';
    // Not abortable: the effect happened, and a lost record would let a redelivery repeat it.
    await this.untilDone(
      'record processed event',
      () =>
        dedupe.store.markProcessed(this.group, event.id, {
          type: event.type,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
        }),
      controls,
      false,
    );
    return 'handled';
  }

  private async park(
    record: DeliveredRecord,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
    controls: ProcessControls,
  ): Promise<ProcessResult> {
    const letter: DeadLetter = { record, group: this.group, reason, error, attempts };
    const parked = await this.untilDone('park on the dead-letter topic', () => this.options.deadLetters.park(letter), controls, true);
    if (parked === ABORTED) return 'aborted';
    this.logger.warn(`consumer ${this.group}: message parked on the dead-letter topic`, {
      group: this.group,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      reason,
      attempts,
      error,
    });
    return 'dead-lettered';
  }

  /** Retries our own infrastructure calls without limit (see infrastructureRetry). */
  private async untilDone<T>(what: string, action: () => Promise<T>, controls: ProcessControls, abortable: boolean): Promise<T | typeof ABORTED> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        const delay = backoffDelay(this.infrastructureRetry, attempt);
        this.logger.warn(`consumer ${this.group}: ${what} failed; retrying in ${delay} ms`, {
          group: this.group,
          attempt,
          error: errorMessage(error),
        });
        if (abortable && !controls.shouldContinue()) return ABORTED;
        if (!(await this.wait(delay, controls, abortable))) return ABORTED;
      }
    }
  }

  /** Waits in slices, heartbeating; false when told to give up (if abortable). */
  private async wait(ms: number, controls: ProcessControls, abortable = true): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (abortable && !controls.shouldContinue()) return false;
      const left = deadline - Date.now();
      if (left <= 0) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, HEARTBEAT_SLICE_MS)));
      await controls.heartbeat().catch(() => undefined);
    }
  }
}
