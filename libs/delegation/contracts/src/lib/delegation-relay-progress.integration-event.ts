import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';

/**
 * Topic of the delegation relay's progress reports: one partition (one ordered stream of
 * reports), plain events kept a few minutes — a report matters only while it is recent.
 */
export const DELEGATION_RELAY_PROGRESS_TOPIC = 'leadership.delegation.relay-progress.v1';

/**
 * How the topic is declared (a `TopicDeclaration` of `ensureTopics`): by the delegation service,
 * and by test suites that create the delegation topics up front. One partition; kept 10 minutes
 * in 1-minute segments (retention deletes closed segments only).
 */
export const DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG = {
  topic: DELEGATION_RELAY_PROGRESS_TOPIC,
  cleanupPolicy: 'delete',
  retentionMs: 600_000,
  segmentMs: 60_000,
  partitions: 1,
} as const;

/**
 * The delegation service's relay vouches that every delegation event committed to its event store
 * before `coveredUntil` is on the delegation topics (mandates, directory, reminders), acknowledged
 * by the brokers **before this message was written**. Sent about every 100 ms while the relay
 * runs and keeps up; nothing is sent while it is stopped, failed or behind — consumers that must
 * bound their staleness against the event store (the authority projections of the other
 * services) reckon it from the last report they received, and go stale on silence.
 */
export const DelegationRelayProgress = defineIntegrationEvent({
  type: 'leadership.delegation.relay-progress.v1',
  topic: DELEGATION_RELAY_PROGRESS_TOPIC,
  version: 1,
  description:
    'Every delegation event committed before `coveredUntil` (the delegation host\'s clock) is on the delegation topics, written before this ' +
    'message. Sent about every 100 ms while the relay runs and keeps up; silence means it does not. Read it from the latest offset, each ' +
    'consumer instance on its own (not through a shared group), and never trust a `coveredUntil` later than when it arrived.',
  keyDescription: 'relay name (`delegation`)',
  keyOf: (data) => data.relay,
  schema: z.strictObject({
    /** The moment before which every committed delegation event is on the topics (RFC 3339, the delegation host's clock). */
    coveredUntil: z.iso.datetime({ offset: true }),
    /** The event store's head position the report covers (a decimal integer), or null when the store was empty. */
    position: z.string().regex(/^\d+$/).nullable(),
    /** Which relay reports: the delegation service's. */
    relay: z.literal('delegation'),
  }),
  examples: [{ coveredUntil: '2026-01-01T10:00:00.100Z', position: '48213', relay: 'delegation' }],
});
