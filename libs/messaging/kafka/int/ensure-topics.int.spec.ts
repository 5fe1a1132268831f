import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ensureTopics, type TopicDeclaration } from '@leadership/messaging-kafka';
import { testInfra, uniqueName } from '@leadership/testing';
import { kafkaClient } from './support/kafka-helpers';

describe('ensureTopics (real Kafka)', () => {
  it('creates missing topics with their partitions and cleanup policy, and leaves existing ones alone', async () => {
    const kafka = kafkaClient(testInfra().kafka.brokers);
    const state = `leadership.itest.${uniqueName('state')}.v1`;
    const events = `leadership.itest.${uniqueName('events')}.v1`;
    const declarations: TopicDeclaration[] = [
      { topic: state, cleanupPolicy: 'compact' },
      { topic: events, cleanupPolicy: 'delete', retentionMs: 7 * 86_400_000, segmentMs: 3_600_000, partitions: 2 },
    ];

    const first = await ensureTopics(kafka, declarations);
    expect(first).toEqual({ created: [state, events], existing: [] });

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [state, events] });
      expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual({ [state]: 3, [events]: 2 });
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [state, events].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy', 'retention.ms', 'segment.ms'] })),
      });
      const config = (name: string) => Object.fromEntries((resources.find((r) => r.resourceName === name)?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
      expect(config(state)['cleanup.policy']).toBe('compact');
      expect(config(events)).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(7 * 86_400_000), 'segment.ms': '3600000' });

      // A second start finds them and changes nothing, even when the declaration differs.
      const second = await ensureTopics(kafka, [{ topic: state, cleanupPolicy: 'delete', partitions: 6 }, declarations[1] as TopicDeclaration]);
      expect(second).toEqual({ created: [], existing: [state, events] });
      const { topics: after } = await admin.fetchTopicMetadata({ topics: [state] });
      expect(after[0]?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('does not throw when the broker is unreachable: it warns and returns the error', async () => {
    const warnings: unknown[] = [];
    const unreachable = new Kafka({ clientId: 'itest-topics', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const result = await ensureTopics(unreachable, [{ topic: 'leadership.itest.never.v1', cleanupPolicy: 'compact' }], {
      logger: { warn: (message, fields) => warnings.push({ message, fields }) },
    });
    expect(result).toEqual({ created: [], existing: [], error: expect.stringMatching(/connect|ECONNREFUSED/i) });
    expect(warnings).toEqual([{ message: expect.stringContaining('could not ensure topics'), fields: expect.objectContaining({ topics: ['leadership.itest.never.v1'] }) }]);
  });
});
