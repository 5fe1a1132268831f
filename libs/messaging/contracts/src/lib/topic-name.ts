/*
 * Topic names are part of the public contract: `leadership.<context>.<stream>.v<major>`.
 * Segments are lower-case kebab-case so they read the same in every tool (and never mix '.'
 * and '_', which Kafka warns about because both map to '_' in its metric names).
 */

const SEGMENT = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const TOPIC = new RegExp(`^leadership\\.(${SEGMENT})\\.(${SEGMENT})\\.v([1-9][0-9]*)$`);
const SEGMENT_ONLY = new RegExp(`^${SEGMENT}$`);
/** Kafka's own limit on topic names. */
const MAX_TOPIC_LENGTH = 249;

/** The parts of a topic name. */
export interface TopicNameParts {
  /** Bounded context that owns the topic, e.g. `delegation`. */
  readonly context: string;
  /** Stream of facts within the context, e.g. `mandates`. */
  readonly stream: string;
  /** Major version; a breaking change is a new topic with the next major. */
  readonly major: number;
}

/** A name that breaks the `leadership.<context>.<stream>.v<major>` rule. */
export class InvalidTopicNameError extends Error {
  override readonly name = 'InvalidTopicNameError';
  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`invalid topic name "${topic}": ${reason}; expected leadership.<context>.<stream>.v<major>, e.g. leadership.delegation.mandates.v1`);
  }
}

/** Builds `leadership.<context>.<stream>.v<major>`, refusing names that break the rule. */
export function topicName(context: string, stream: string, major: number): string {
  const topic = `leadership.${context}.${stream}.v${major}`;
  parseTopicName(topic);
  return topic;
}

/** Splits a topic name into its parts; throws InvalidTopicNameError when it breaks the rule. */
export function parseTopicName(topic: string): TopicNameParts {
  if (topic.length > MAX_TOPIC_LENGTH) throw new InvalidTopicNameError(topic, `longer than ${MAX_TOPIC_LENGTH} characters`);
  const match = TOPIC.exec(topic);
  if (!match) throw new InvalidTopicNameError(topic, 'segments must be lower-case kebab-case and the major a positive integer');
  const [, context = '', stream = '', major = '0'] = match;
  return { context, stream, major: Number(major) };
}

export function isTopicName(topic: string): boolean {
  return topic.length <= MAX_TOPIC_LENGTH && TOPIC.test(topic);
}

/** True for a lower-case kebab-case name segment (context, stream, event name). */
export function isNameSegment(value: string): boolean {
  return SEGMENT_ONLY.test(value);
}

/** Characters Kafka allows in a topic name. */
const KAFKA_TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

/**
 * The dead-letter topic of a consumer group: `leadership.dlq.<group>`. One per group rather than
 * one per source topic because a message is poison for a consumer, not in itself: another group
 * may handle it fine, and a re-drive must go back to exactly the group that parked it. The
 * original topic, partition and offset travel in the parked message's headers.
 */
export function deadLetterTopicName(group: string): string {
  if (!KAFKA_TOPIC_CHARS.test(group)) {
    throw new InvalidTopicNameError(`leadership.dlq.${group}`, 'a consumer group used with a dead-letter topic may contain only [a-zA-Z0-9._-]');
  }
  const topic = `leadership.dlq.${group}`;
  if (topic.length > MAX_TOPIC_LENGTH) throw new InvalidTopicNameError(topic, `longer than ${MAX_TOPIC_LENGTH} characters`);
  return topic;
}
