import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import {
  EventStoreKafkaRelay,
  KafkaIntegrationEventPublisher,
  silentMessagingLogger,
  SqliteRelayCheckpointStore,
} from '@leadership/messaging-kafka';
import { dedicatedKafkaSupport, eventually, startDedicatedKafka, type DedicatedKafka } from '@leadership/testing';
import { itestContracts, taskAssignedEvent } from './support/itest-contracts';
import { createTopic, kafkaClient, readToEnd } from './support/kafka-helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * Kills the broker (SIGKILL) while events keep being appended. Runs against a Kafka of its own,
 * never the shared one on 9092 that other suites use at the same time.
 */
const support = dedicatedKafkaSupport();
if (!support.supported) console.warn(`relay broker-outage test skipped: ${support.reason}`);
const describeWithDedicatedKafka = support.supported ? describe : describe.skip;

describeWithDedicatedKafka('relay: broker stopped while the relay has a backlog', () => {
  let broker: DedicatedKafka | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-outage-'));
    broker = await startDedicatedKafka({ name: 'messaging-relay-outage', port: 19192 });
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('publishes every appended event at least once, in order per key, and loses none', async () => {
    if (!broker) throw new Error('no dedicated broker');
    const file = join(dir, 'events.db');
    const store = new SqliteEventStore(file, { pollIntervalMs: 20 });
    const checkpoints = new SqliteRelayCheckpointStore(file);
    const { topic, mapper } = itestContracts('outage');
    const kafka = kafkaClient(broker.brokers);
    await createTopic(kafka, topic, 3);
    const relay = new EventStoreKafkaRelay({
      name: 'outage',
      eventStore: store,
      checkpoints,
      mapper,
      publisher: new KafkaIntegrationEventPublisher(kafka, { retries: 2 }),
      maxBatchSize: 200,
      retry: { initialDelayMs: 100, maxDelayMs: 1000 },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });

    const appended: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let seq = 0; writing; seq++) {
        const event = taskAssignedEvent(seq);
        await store.appendToStream(`task-${seq}`, [event]);
        appended.push(event.metadata.eventId);
        await sleep(2);
      }
    })();

    await relay.start();
    try {
      await eventually(() => (relay.status().publishedEvents >= 200 ? true : undefined), { timeoutMs: 30_000, what: 'first 200 published' });

      await broker.stop('SIGKILL');
      await eventually(() => (relay.status().state === 'retrying' ? true : undefined), { timeoutMs: 60_000, what: 'relay retrying' });
      const frozen = relay.status().checkpoint;
      await sleep(2000);
      // Nothing can be acknowledged, so nothing is checkpointed, while the backlog grows.
      expect(relay.status().checkpoint).toBe(frozen);
      expect(await relay.lag()).toBeGreaterThan(100n);

      await broker.start();
      await sleep(1000);
      writing = false;
      await writer;
      const head = await store.headPosition();
      await eventually(() => (relay.status().checkpoint === head ? true : undefined), { timeoutMs: 120_000, what: 'checkpoint at head' });
      expect(relay.status().state).toBe('running');
    } finally {
      writing = false;
      await writer;
      await relay.stop();
    }

    const records = await readToEnd(kafka, topic);
    const published = new Set(records.map((r) => r.headers['ce_id']));
    expect(appended.filter((id) => !published.has(id))).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(appended.length);
    // Order per key holds across the outage: first occurrences of each task's events ascend.
    const byKey = new Map<string, number[]>();
    for (const record of [...records].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
      const seq = (JSON.parse(record.value ?? '{}') as { seq: number }).seq;
      const list = byKey.get(record.key ?? '') ?? [];
      if (!list.includes(seq)) list.push(seq);
      byKey.set(record.key ?? '', list);
    }
    for (const seqs of byKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    console.info(`relay outage: ${appended.length} events appended, ${records.length} records on the topic (${records.length - published.size} duplicates)`);

    checkpoints.close();
    await store.close();
  });
});
