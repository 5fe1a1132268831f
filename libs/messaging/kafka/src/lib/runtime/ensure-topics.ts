import type { ITopicConfig, Kafka } from 'kafkajs';
import { errorMessage, type MessagingLogger } from '../shared/messaging-logger';

/**
 * A topic a service publishes to, as the service declares it. Creating it here is for local and
 * test brokers; clusters declare the same topics in their manifests (Strimzi KafkaTopic), where
 * `ensureTopics` then finds them existing and changes nothing.
 */
export interface TopicDeclaration {
  readonly topic: string;
  /**
   * `compact` for state topics (each message carries the aggregate's full state, keyed by its
   * id: the latest per key is all a new consumer needs); `delete` for plain event streams.
   */
  readonly cleanupPolicy: 'compact' | 'delete';
  /** Retention of a `delete` topic in ms (default: the broker's). */
  readonly retentionMs?: number;
  /**
   * How long a log segment stays open, in ms (default: the broker's, 7 days). Retention deletes
   * only closed segments, so a small topic with a short retention needs short segments too (a
   * progress topic kept 10 minutes would otherwise keep a week of records in its open segment).
   */
  readonly segmentMs?: number;
  /** Default: `EnsureTopicsOptions.partitions`. */
  readonly partitions?: number;
}

/** Options of {@link ensureTopics}. */
export interface EnsureTopicsOptions {
  /** Partitions of a topic that does not say (default 3: parallelism for up to 3 consumers of a group). */
  readonly partitions?: number;
  /** Default: the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** Where a failure is reported (it does not throw, see below). */
  readonly logger?: Pick<MessagingLogger, 'warn'>;
}

/** What `ensureTopics` did. */
export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  /** Set when the broker could not be asked or refused; nothing is known about the topics then. */
  readonly error?: string;
}

/**
 * Creates the declared topics that do not exist yet (partitions, cleanup policy, retention, segment time) and
 * leaves existing ones alone: changing partitions or policy of a live topic is an operator's
 * decision, not a side effect of a service start.
 *
 * Never throws: a broker that is down at start must not stop the service (the relay retries
 * publishing by itself and topics are created on its next start). The failure is logged and
 * returned as `error`.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly TopicDeclaration[], options: EnsureTopicsOptions = {}): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const known = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !known.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((t) => topicConfig(t, options)), waitForLeaders: true });
    }
    return { created: missing.map((t) => t.topic), existing: topics.filter((t) => known.has(t.topic)).map((t) => t.topic) };
  } catch (error) {
    const message = errorMessage(error);
    options.logger?.warn('could not ensure topics; they are created on the next start', { topics: topics.map((t) => t.topic), error: message });
    return { created: [], existing: [], error: message };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function topicConfig(declaration: TopicDeclaration, options: EnsureTopicsOptions): ITopicConfig {
  const configEntries: { name: string; value: string }[] = [{ name: 'cleanup.policy', value: declaration.cleanupPolicy }];
  if (declaration.retentionMs !== undefined) configEntries.push({ name: 'retention.ms', value: String(declaration.retentionMs) });
  if (declaration.segmentMs !== undefined) configEntries.push({ name: 'segment.ms', value: String(declaration.segmentMs) });
  return {
    topic: declaration.topic,
    numPartitions: declaration.partitions ?? options.partitions ?? 3,
    ...(options.replicationFactor !== undefined ? { replicationFactor: options.replicationFactor } : {}),
    configEntries,
  };
}
