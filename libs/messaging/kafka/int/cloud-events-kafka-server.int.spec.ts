import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, KafkaContext, Payload } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { deadLetterTopicName, type CloudEventOf } from '@leadership/messaging-contracts';
import {
  CloudEventsKafkaServer,
  encodeCloudEvent,
  IntegrationEventHandler,
  kafkaConsumerHealthCheck,
  MongoProcessedEventStore,
  NonRetriableError,
  silentMessagingLogger,
  type OutgoingKafkaMessage,
} from '@leadership/messaging-kafka';
import { requestContext, type RequestContext } from '@leadership/platform-nest';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { startConsumerApp } from './support/consumer-app';
import { useIsolatedMongo } from './support/isolated-mongo';
import { itestContracts } from './support/itest-contracts';
import { committedOffsets, createTopic, kafkaClient, readToEnd } from './support/kafka-helpers';

type Sent = { key: string; value: string; headers: Record<string, string> };

async function send(kafka: Kafka, topic: string, messages: readonly Sent[]): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  const [written] = await producer.send({ topic, acks: -1, messages: [...messages] }).finally(() => producer.disconnect());
  return Number(written?.baseOffset);
}

describe('CloudEventsKafkaServer: Nest @EventPattern handlers through the idempotent processor', () => {
  const mongo = useIsolatedMongo('messaging_nest_consumer');
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('parks invalid envelopes and a failing handler on the DLQ with the error, handles the rest in order, commits every offset', async () => {
    const { topic, taskAssigned } = itestContracts('nest-dlq');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, 1);
    const group = uniqueName('itest-nest-dlq');
    const good = (seq: number): OutgoingKafkaMessage =>
      encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: 't1', assignee: 'p1', seq } });
    const poison = good(6);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traced = encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: 't1', assignee: 'p1', seq: 1 }, correlationId: 'corr-1', traceparent });
    const untraced = good(5);
    const sent: Sent[] = [
      traced,
      { ...good(2), value: '{"taskId":"t1",' }, // not JSON
      { ...good(3), value: JSON.stringify({ taskId: 't1', assignee: 'p1', seq: 3, extra: 'unknown key' }) },
      { key: 't1', value: JSON.stringify({ taskId: 't1', assignee: 'p1', seq: 4 }), headers: {} }, // no CloudEvents headers
      untraced,
      poison, // the handler fails on it every time
      { ...good(7), headers: { ...good(7).headers, ce_time: 'yesterday' } }, // an envelope that breaks the spec
      good(8),
      good(9), // NonRetriableError: parked after one attempt
      good(10),
    ].map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } }));
    const base = await send(kafka, topic, sent);

    const handled: number[] = [];
    const attemptsOnPoison: number[] = [];
    const partitions = new Set<number>();
    const contexts = new Map<number, RequestContext | undefined>();

    @Controller()
    class TaskEventsController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>, @Ctx() context: KafkaContext): Promise<void> {
        partitions.add(context.getPartition());
        contexts.set(event.data.seq, requestContext.current());
        if (event.data.seq === 6) {
          attemptsOnPoison.push(attemptsOnPoison.length + 1);
          throw new Error('downstream refuses seq 6');
        }
        if (event.data.seq === 9) throw new NonRetriableError('seq 9 can never be applied');
        handled.push(event.data.seq);
      }
    }

    const server = new CloudEventsKafkaServer({
      kafka,
      group,
      dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(mongo.db()) },
      maxAttempts: 3,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    app = await startConsumerApp(server, [TaskEventsController]);
    expect(server.consumerStatus()).toMatchObject({ group, state: 'running', assignments: [{ topic, partitions: [0] }] });

    await eventually(() => (handled.includes(10) ? true : undefined), { timeoutMs: 60_000, what: 'the last good message handled' });
    expect(handled).toEqual([1, 5, 8, 10]);
    expect(attemptsOnPoison).toEqual([1, 2, 3]);
    expect(partitions).toEqual(new Set([0]));
    // The handler ran in the request context of the event: its correlation id and a child span of its trace.
    expect(contexts.get(1)).toEqual({ correlationId: 'corr-1', traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/) });
    expect(contexts.get(1)?.traceparent).not.toBe(traceparent);
    expect(contexts.get(5)).toEqual({ correlationId: untraced.headers['ce_id'], traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
    // Counted once the processor finished the message (after the handler returned).
    const counted = await eventually(() => (server.consumerStatus().messages.handled === 4 ? server.consumerStatus().messages : undefined), {
      timeoutMs: 10_000,
      what: 'the last message counted',
    });
    expect(counted).toEqual({ handled: 4, duplicate: 0, skipped: 0, 'dead-lettered': 6 });
    await app.close();
    app = undefined;
    expect(server.consumerStatus().state).toBe('stopped');

    const parked = await readToEnd(kafka, deadLetterTopicName(group));
    expect(parked.map((p) => p.headers['dlq-reason'])).toEqual(['undecodable', 'invalid-data', 'undecodable', 'handler-failed', 'undecodable', 'handler-failed']);
    expect(parked.map((p) => p.headers['dlq-original-offset'])).toEqual([1, 2, 3, 5, 6, 8].map((i) => String(base + i)));
    expect(parked.map((p) => p.headers['dlq-attempts'])).toEqual(['0', '0', '0', '3', '0', '1']);
    for (const p of parked) {
      expect(p.headers).toMatchObject({ 'dlq-original-topic': topic, 'dlq-original-partition': '0', 'dlq-group': group });
      expect(p.headers['dlq-parked-at']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    const errors = parked.map((p) => p.headers['dlq-error']);
    expect(errors[0]).toMatch(/^invalid-json: /);
    expect(errors[1]).toMatch(/^invalid-data: .*Unrecognized key: "extra"/);
    expect(errors[2]).toMatch(/^missing-header: header ce_specversion is missing/);
    // The handler's own error, not Nest's "Internal server error".
    expect(errors[3]).toBe('Error: downstream refuses seq 6');
    expect(errors[4]).toMatch(/^invalid-header: ce_time "yesterday" is not RFC 3339/);
    expect(errors[5]).toBe('NonRetriableError: seq 9 can never be applied');
    // The parked copy is the original record, ready to be re-driven.
    expect(parked[1]?.value).toBe(sent[2]?.value);
    expect(parked[3]).toMatchObject({ key: 't1', value: poison.value });
    expect(parked[3]?.headers['ce_id']).toBe(poison.headers['ce_id']);

    // Every offset, parked ones included, is committed: nothing is read twice after a restart.
    expect(await committedOffsets(kafka, group, topic)).toEqual([{ partition: 0, offset: String(base + sent.length) }]);
  });

  it('commits an offset only after the handler finished its effect, and reports the lag meanwhile', async () => {
    const { topic, taskAssigned } = itestContracts('nest-commit');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, 1);
    const group = uniqueName('itest-nest-commit');
    const messages = [1, 2, 3].map((seq) => encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: 't1', assignee: 'p1', seq } }));
    const base = await send(kafka, topic, messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })));

    const effects: number[] = [];
    let entered2 = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    @Controller()
    class GatedController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>): Promise<void> {
        if (event.data.seq === 2) {
          entered2 = true;
          await gate;
        }
        effects.push(event.data.seq);
      }
    }

    const registry = new Registry();
    const server = new CloudEventsKafkaServer({
      kafka,
      group,
      dedupe: { by: 'aggregate-version' },
      // Commit as eagerly as kafkajs can: after every resolved offset.
      commitIntervalMs: 20,
      commitThreshold: 1,
      metrics: registry,
      logger: silentMessagingLogger,
    });
    app = await startConsumerApp(server, [GatedController]);

    await eventually(() => (entered2 ? true : undefined), { timeoutMs: 30_000, what: 'the handler of seq 2 entered' });
    // seq 1 is done and committed; seq 2's effect has not happened, so its offset must not be.
    await eventually(async () => ((await committedOffsets(kafka, group, topic))[0]?.offset === String(base + 1) ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the offset after seq 1 committed',
    });
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await committedOffsets(kafka, group, topic)).toEqual([{ partition: 0, offset: String(base + 1) }]);
    }
    expect(effects).toEqual([1]);
    const lagWhileBlocked = await server.lag();
    expect(lagWhileBlocked).toEqual({ total: 2, partitions: [{ topic, partition: 0, high: base + 3, position: base + 1, lag: 2 }] });
    expect(await registry.metrics()).toContain(`leadership_consumer_lag{group="${group}",topic="${topic}",partition="0"} 2`);

    release();
    await eventually(async () => ((await committedOffsets(kafka, group, topic))[0]?.offset === String(base + 3) ? true : undefined), {
      timeoutMs: 10_000,
      what: 'every offset committed after the effects',
    });
    expect(effects).toEqual([1, 2, 3]);
    const health = await kafkaConsumerHealthCheck(server, { maxLag: 0 }).check();
    expect(health).toMatchObject({ consumer: { state: 'running', lastError: null }, lag: { total: 0 } });
  });

  it('with keyConcurrency, handles other keys past a slow message, keeps each key in order, and commits only the finished prefix', async () => {
    const { topic, taskAssigned } = itestContracts('nest-keys');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, 1);
    const group = uniqueName('itest-nest-keys');
    // Keys (task ids): a b a c b — seq 1 (key a) is held; a's seq 3 must wait for it, b and c need not.
    const keys = ['a', 'b', 'a', 'c', 'b'];
    const messages = keys.map((taskId, i) => encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId, assignee: 'p1', seq: i + 1 } }));
    const base = await send(kafka, topic, messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })));

    const effects: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    @Controller()
    class KeyedController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>): Promise<void> {
        if (event.data.seq === 1) await gate;
        effects.push(event.data.seq);
      }
    }

    const server = new CloudEventsKafkaServer({
      kafka,
      group,
      dedupe: { by: 'aggregate-version' },
      keyConcurrency: 4,
      commitIntervalMs: 20,
      commitThreshold: 1,
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    app = await startConsumerApp(server, [KeyedController]);

    try {
      await eventually(() => (effects.length === 3 ? true : undefined), { timeoutMs: 30_000, what: 'the messages of keys b and c handled past the held one' });
      expect(effects).toEqual([2, 4, 5]);
      // Nothing is committed past the held message (none at all, or its own offset): a crash now redelivers from it.
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(['-1', String(base)]).toContain((await committedOffsets(kafka, group, topic))[0]?.offset);
      }
    } finally {
      release();
    }
    await eventually(async () => ((await committedOffsets(kafka, group, topic))[0]?.offset === String(base + keys.length) ? true : undefined), {
      timeoutMs: 10_000,
      what: 'every offset committed once the held message is done',
    });
    // Key a in its order: seq 1 before seq 3.
    expect(effects).toEqual([2, 4, 5, 1, 3]);
    expect(server.consumerStatus().messages).toMatchObject({ handled: 5 });
  });

  it('with a retention, forgets its processed-event records once they are older, and only its own', async () => {
    const { topic, taskAssigned } = itestContracts('nest-retention');
    const kafka = kafkaClient(testInfra().kafka.brokers);
    await createTopic(kafka, topic, 1);
    const group = uniqueName('itest-nest-retention');
    const store = MongoProcessedEventStore.inDatabase(mongo.db(), 'processed_events_sweep');
    const details = { type: taskAssigned.type, topic, partition: 0, offset: '0' };
    await store.markProcessed(group, 'e-old', details);
    await store.markProcessed('another-group', 'e-old', details);

    @Controller()
    class RetentionController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() _event: CloudEventOf<typeof taskAssigned>): Promise<void> {
        // nothing is sent to this topic
      }
    }
    const server = new CloudEventsKafkaServer({
      kafka,
      group,
      dedupe: { by: 'event-id', store, retentionMs: 200 },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    app = await startConsumerApp(server, [RetentionController]);
    // Swept at start (not yet 200 ms old, so kept) and then every second.
    await eventually(async () => ((await store.isProcessed(group, 'e-old')) ? undefined : true), { timeoutMs: 10_000, what: 'the old record forgotten' });
    expect(await store.isProcessed('another-group', 'e-old')).toBe(true);
  });

  it('keeps trying while the broker is unreachable, says so in its status and health, and stops promptly', async () => {
    const { taskAssigned } = itestContracts('nest-down');

    @Controller()
    class UnreachableController {
      @IntegrationEventHandler(taskAssigned)
      async onTaskAssigned(@Payload() _event: CloudEventOf<typeof taskAssigned>): Promise<void> {
        // never called: nothing can be consumed
      }
    }

    const server = new CloudEventsKafkaServer({
      // Nothing listens there.
      kafka: new Kafka({ clientId: 'itest-down', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0 } }),
      group: uniqueName('itest-nest-down'),
      dedupe: { by: 'aggregate-version' },
      waitForJoinMs: 300,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    const started = Date.now();
    app = await startConsumerApp(server, [UnreachableController]);
    expect(Date.now() - started).toBeLessThan(10_000);
    const status = await eventually(() => (server.consumerStatus().lastError ? server.consumerStatus() : undefined), { timeoutMs: 10_000, what: 'a connection error' });
    expect(status.state).toMatch(/^(connecting|reconnecting)$/);
    expect(status.lastError).toMatch(/ECONNREFUSED|Connection error|connect/i);

    await expect(kafkaConsumerHealthCheck(server).check()).rejects.toThrow(/is (connecting|reconnecting)/);
    // A consumer that may serve from its last state stays up, and says the lag is unknown.
    const tolerant = await kafkaConsumerHealthCheck(server, { downWhileDisconnected: false, lagTimeoutMs: 500 }).check();
    expect(tolerant.lag).toEqual({ unavailable: expect.any(String) });

    const closing = Date.now();
    await app.close();
    app = undefined;
    expect(Date.now() - closing).toBeLessThan(5000);
    expect(server.consumerStatus().state).toBe('stopped');
    await expect(kafkaConsumerHealthCheck(server).check()).rejects.toThrow(/is stopped/);
  });
});
