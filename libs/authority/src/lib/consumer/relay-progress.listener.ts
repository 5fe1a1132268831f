import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DELEGATION_RELAY_PROGRESS_TOPIC, DelegationRelayProgress } from '@leadership/delegation-contracts';
import { IntegrationEventRegistry } from '@leadership/messaging-contracts';
import { backoffDelay, decodeCloudEvent, DEFAULT_GROUP_TIMING, DEFAULT_RECONNECT, errorMessage, sleep, type BackoffPolicy, type MessagingLogger } from '@leadership/messaging-kafka';

/** Options of {@link RelayProgressListener}. */
export interface RelayProgressListenerOptions {
  readonly kafka: Kafka;
  /** The authority group: the listener's own group is `<group>.relay-progress.<unique suffix>`. */
  readonly group: string;
  /** A report arrived, vouching for `coveredUntil` (epoch ms, the delegation host's clock). */
  readonly onProgress: (coveredUntil: number) => void;
  /** Back-off between attempts to (re)join while the broker is unreachable or the topic missing (default 500 ms … 5 s). */
  readonly reconnect?: BackoffPolicy;
  readonly logger?: MessagingLogger;
}

/** What `status()` reports. */
export interface RelayProgressListenerStatus {
  readonly state: 'idle' | 'connecting' | 'running' | 'reconnecting' | 'stopped';
  readonly group: string;
  readonly lastError: string | null;
  /** Reports handled since start, and those refused as malformed. */
  readonly reports: number;
  readonly malformed: number;
}

const registry = new IntegrationEventRegistry([DelegationRelayProgress]);

/**
 * Reads the delegation relay's progress reports (`DelegationRelayProgress`) for **this instance
 * alone**. The authority group shares the delegation topics among a service's instances, but the
 * reports' one partition would then reach only one of them, and every instance needs every report:
 * so a kafkajs consumer of its own, in a group of its own (a unique suffix per process), from the
 * latest offset (an old report vouches for nothing current), committing nothing (a restart starts
 * at the latest again; a group without offsets leaves nothing behind on the broker). It never
 * creates the topic (the delegation service declares it with its retention); a missing topic or
 * an unreachable broker is retried with back-off, and a malformed record is skipped.
 */
export class RelayProgressListener {
  readonly group: string;
  private state: RelayProgressListenerStatus['state'] = 'idle';
  private lastError: string | null = null;
  private reports = 0;
  private malformed = 0;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private aborted = abortedPromise(this.abort.signal);

  constructor(private readonly options: RelayProgressListenerOptions) {
    this.group = `${options.group}.relay-progress.${randomUUID().slice(0, 8)}`;
  }

  /** Starts (re)joining in the background; reports are handed to `onProgress` once it runs. Again after `stop()` too. */
  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    if (this.abort.signal.aborted) {
      this.abort = new AbortController();
      this.aborted = abortedPromise(this.abort.signal);
    }
    this.state = 'connecting';
    this.loop = this.supervise();
  }

  /** Leaves the group and stops. Idempotent. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.state !== 'idle') this.state = 'stopped';
  }

  status(): RelayProgressListenerStatus {
    return { state: this.state, group: this.group, lastError: this.lastError, reports: this.reports, malformed: this.malformed };
  }

  private async supervise(): Promise<void> {
    const reconnect = this.options.reconnect ?? DEFAULT_RECONNECT;
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      const consumer = this.options.kafka.consumer({
        groupId: this.group,
        // As the authority group (CloudEventsKafkaServer): a broker restarted after a crash holds the
        // old member until its session expires, and a new join waits for that.
        ...DEFAULT_GROUP_TIMING,
        allowAutoTopicCreation: false,
        // Reports come every 100 ms; an idle long poll needs no more than this.
        maxWaitTimeInMs: 1_000,
      });
      const crashed = new Promise<never>((_, reject) => {
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) reject(payload.error);
          else if (!this.abort.signal.aborted) this.state = 'reconnecting';
          this.lastError = errorMessage(payload.error);
        });
      });
      crashed.catch(() => undefined);
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (this.abort.signal.aborted) return;
        this.state = 'running';
        this.lastError = null;
        attempt = 0;
      });
      try {
        if ((await Promise.race([this.join(consumer), this.aborted])) !== 'aborted') await Promise.race([crashed, this.aborted]);
      } catch (error) {
        if (!this.abort.signal.aborted) {
          this.lastError = errorMessage(error);
          this.options.logger?.warn(`relay progress listener ${this.group}: not reading the reports; retrying`, { group: this.group, attempt, error: this.lastError });
        }
      }
      await consumer.disconnect().catch(() => undefined);
      if (this.abort.signal.aborted) break;
      this.state = 'reconnecting';
      await sleep(backoffDelay(reconnect, Math.max(1, attempt)), this.abort.signal).catch(() => undefined);
    }
  }

  private async join(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topics: [DELEGATION_RELAY_PROGRESS_TOPIC], fromBeginning: false });
    await consumer.run({ autoCommit: false, eachMessage: async ({ topic, message }) => this.handle(topic, message) });
  }

  private handle(topic: string, message: KafkaMessage): void {
    let coveredUntil: number;
    try {
      coveredUntil = Date.parse(decodeCloudEvent(registry, { topic, key: message.key, value: message.value, headers: message.headers ?? {} }).data.coveredUntil);
    } catch (error) {
      // A malformed report vouches for nothing: skipped (the next one, 100 ms later, will do).
      if (this.malformed++ === 0) this.options.logger?.warn(`relay progress listener ${this.group}: malformed report skipped`, { group: this.group, error: errorMessage(error) });
      return;
    }
    this.reports++;
    this.options.onProgress(coveredUntil);
  }
}

function abortedPromise(signal: AbortSignal): Promise<'aborted'> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
}
