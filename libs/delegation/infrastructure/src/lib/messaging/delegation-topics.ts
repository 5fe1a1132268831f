import type { TopicDeclaration } from '@leadership/messaging-kafka';
import { DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG, DIRECTORY_TOPIC, MANDATE_REMINDERS_TOPIC, MANDATES_TOPIC } from '@leadership/delegation-contracts';

/*
 * The topics the delegation service publishes to. The state topics are compacted: every
 * MandateChanged / UnitChanged / PersonChanged carries the full state, so the latest message per
 * key is all a new consumer needs, however old. Reminders are plain events kept a week. Clusters
 * declare the same in deploy/kubernetes/platform/kafka-topics.yaml.
 */
export const delegationTopics: readonly TopicDeclaration[] = [
  { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
  { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
  { topic: MANDATE_REMINDERS_TOPIC, cleanupPolicy: 'delete', retentionMs: 7 * 86_400_000 },
  DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
];
