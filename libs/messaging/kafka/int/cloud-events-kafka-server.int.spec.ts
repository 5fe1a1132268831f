import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { deadLetterTopicName } from '@leadership/messaging-contracts';
import {
  encodeCloudEvent,
  KafkaIntegrationEventConsumer,
  MongoProcessedEventStore,
  silentMessagingLogger,
  type OutgoingKafkaMessage,
} from '@leadership/messaging-kafka';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { useIsolatedMongo } from './support/isolated-mongo';
import { itestContracts } from './support/itest-contracts';
import { createTopic, kafkaClient, readToEnd } from './support/kafka-helpers';

describe('consumer: poison messages go to the dead-letter topic, the partition goes on', () => {
  const mongo = useIsolatedMongo('messaging_dlq');

  it('parks undecodable, schema-invalid and always-failing messages with error and origin, and handles the rest in order', async () => {
    const { topic, taskAssigned } = itestContracts('dlq');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, 1);
    const group = uniqueName('itest-dlq');
    const good = (seq: number): OutgoingKafkaMessage =>
      encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: 't1', assignee: 'p1', seq } });
    const poison = good(6);
    const sent: { key: string; value: string; headers: Record<string, string> }[] = [
      good(1),
      { ...good(2), value: '{"taskId":"t1",' }, // not JSON
      { ...good(3), value: JSON.stringify({ taskId: 't1', assignee: 'p1', seq: 3, extra: 'unknown key' }) },
      { key: 't1', value: JSON.stringify({ taskId: 't1', assignee: 'p1', seq: 4 }), headers: {} }, // no CloudEvents headers
      good(5),
      poison, // the handler fails on it every time
      good(7),
    ].map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } }));
    const producer = kafka.producer();
    await producer.connect();
    const [written] = await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();
    const base = Number(written?.baseOffset);

    const handled: number[] = [];
    const attemptsOnPoison: number[] = [];
    const consumer = new KafkaIntegrationEventConsumer({
      kafka,
      group,
      contracts: [taskAssigned],
      processedEvents: MongoProcessedEventStore.inDatabase(mongo.db()),
      handle: async (event, context) => {
        if (event.data.seq === 6) {
          attemptsOnPoison.push(context.attempt);
          throw new Error('downstream refuses seq 6');
        }
        handled.push(event.data.seq);
      },
      maxAttempts: 3,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    await consumer.start();
    try {
      await eventually(() => (handled.includes(7) ? true : undefined), { timeoutMs: 60_000, what: 'the last good message handled' });
      expect(handled).toEqual([1, 5, 7]);
      expect(attemptsOnPoison).toEqual([1, 2, 3]);
    } finally {
      await consumer.stop();
    }

    const parked = await readToEnd(kafka, deadLetterTopicName(group));
    expect(parked.map((p) => p.headers['dlq-reason'])).toEqual(['undecodable', 'invalid-data', 'undecodable', 'handler-failed']);
    expect(parked.map((p) => p.headers['dlq-original-offset'])).toEqual([1, 2, 3, 5].map((i) => String(base + i)));
    expect(parked.map((p) => p.headers['dlq-attempts'])).toEqual(['0', '0', '0', '3']);
    for (const p of parked) {
      expect(p.headers).toMatchObject({ 'dlq-original-topic': topic, 'dlq-original-partition': '0', 'dlq-group': group });
      expect(p.headers['dlq-parked-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    const errors = parked.map((p) => p.headers['dlq-error']);
    expect(errors[0]).toMatch(/^invalid-json: /);
    expect(errors[1]).toMatch(/^invalid-data: .*Unrecognized key: "extra"/);
    expect(errors[2]).toMatch(/^missing-header: header ce_specversion is missing/);
    expect(errors[3]).toBe('Error: downstream refuses seq 6');
    // The parked copy is the original record, ready to be re-driven.
    expect(parked[1]?.value).toBe(sent[2]?.value);
    expect(parked[3]).toMatchObject({ key: 't1', value: poison.value });
    expect(parked[3]?.headers['ce_id']).toBe(poison.headers['ce_id']);

    // Every offset, parked ones included, is committed: nothing is read twice after a restart.
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] }).finally(() => admin.disconnect());
    expect(committed?.partitions).toEqual([{ partition: 0, offset: String(base + sent.length), metadata: null }]);
  });
});
