import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Registry } from 'prom-client';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { CloudEventsKafkaServer, encodeCloudEvent, IntegrationEventHandler, MongoProcessedEventStore, silentMessagingLogger } from '@leadership/messaging-kafka';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { startConsumerApp } from './support/consumer-app';
import { useIsolatedMongo } from './support/isolated-mongo';
import { itestContracts } from './support/itest-contracts';
import { createTopic, kafkaClient } from './support/kafka-helpers';

const workspaceRoot = join(__dirname, '../../../..');
const PARTITIONS = 3;
const PER_PARTITION = 20;
const KILL_AT = 25; // the 5th message of the second partition's batch

/** Runs the crashing consumer as its own process; resolves with the signal that ended it. */
function runCrashingConsumer(config: object): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support/crashing-consumer.process.ts')], {
      cwd: workspaceRoot,
      env: { ...process.env, CRASH_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the crashing consumer did not reach its kill point within 90 s'));
    }, 90_000);
    child.once('error', reject);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

describe('Nest consumer (CloudEventsKafkaServer) killed mid-batch and restarted', () => {
  const mongo = useIsolatedMongo('messaging_crash');

  it('applies every event exactly once, redelivered and re-sent messages included', async () => {
    const { topic, taskAssigned } = itestContracts('crash');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, PARTITIONS);
    const group = uniqueName('itest-crash');

    // 20 events per partition, then 2 per partition sent again (a producer retry: same ce_id).
    const messages = Array.from({ length: PARTITIONS * PER_PARTITION }, (_, seq) => {
      const partition = seq % PARTITIONS;
      const message = encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: `t${partition}`, assignee: 'p1', seq } });
      return { partition, key: message.key, value: message.value, headers: { ...message.headers } };
    });
    const resent = messages.slice(0, 2 * PARTITIONS);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages });
    await producer.send({ topic, acks: -1, messages: resent });
    await producer.disconnect();
    const eventIds = new Set(messages.map((m) => m.headers['ce_id']));

    const signal = await runCrashingConsumer({ brokers: testInfra().kafka.brokers, mongoUri: mongo.uri(), dbName: mongo.dbName(), topic, group, killAt: KILL_AT });
    expect(signal).toBe('SIGKILL');
    const db = mongo.db();
    const effects = db.collection<{ eventId: string; seq: number; by: string }>('effects');
    const appliedBeforeCrash = await effects.countDocuments();
    expect(appliedBeforeCrash).toBe(KILL_AT - 1);

    // The crash really was mid-batch: some handled messages were not committed.
    const admin = kafka.admin();
    await admin.connect();
    const [before] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const committedBeforeCrash = (before?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(committedBeforeCrash).toBeLessThan(appliedBeforeCrash);

    @Controller()
    class TaskEventsController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>): Promise<void> {
        await effects.insertOne({ eventId: event.id, seq: event.data.seq, by: 'restarted' });
      }
    }
    const registry = new Registry();
    const restarted = new CloudEventsKafkaServer({
      kafka,
      group,
      dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(db) },
      metrics: registry,
      logger: silentMessagingLogger,
      // The broker's minimum: the killed member is dropped from the group sooner.
      consumer: { sessionTimeout: 6000, heartbeatInterval: 500 },
      waitForJoinMs: 30_000,
    });
    const app = await startConsumerApp(restarted, [TaskEventsController]);
    try {
      await eventually(async () => ((await effects.distinct('eventId')).length === eventIds.size ? true : undefined), {
        timeoutMs: 60_000,
        what: 'an effect for every event',
      });
    } finally {
      await app.close();
    }

    // Everything was consumed and committed by the graceful stop…
    const ends = await admin.fetchTopicOffsets(topic);
    const [after] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    expect(after?.partitions.map((p) => p.offset).sort()).toEqual(ends.map((p) => p.high).sort());
    // …each event took effect exactly once…
    const perEvent = await effects.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$eventId', n: { $sum: 1 } } }]).toArray();
    expect(perEvent).toHaveLength(eventIds.size);
    expect(perEvent.filter((e) => e.n !== 1)).toEqual([]);
    // …and the redelivered ones were recognised, not re-applied.
    const duplicates = (await registry.getSingleMetric('leadership_consumer_messages_total')?.get())?.values.find(
      (v) => v.labels['outcome'] === 'duplicate',
    )?.value;
    expect(duplicates).toBeGreaterThanOrEqual(appliedBeforeCrash - committedBeforeCrash);
  });
});
