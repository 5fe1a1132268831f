/*
 * npm run bench -- kafka-relay
 *
 * Events per second from the event store to a broker acknowledgement through the relay
 * (subscription → mapper → contract validation → CloudEvents encoding → idempotent acks=all
 * sendBatch → checkpoint), against the physical limit: raw kafkajs sendBatch of the very same
 * pre-built records (same sizes, same headers, same batch size, one batch in flight, same producer
 * settings via relayProducerConfig), on the local Kafka (started here if it is not running).
 *
 * Rounds alternate baseline and relay, each on a fresh topic, and the median of the rounds is
 * reported, because the two cores are shared with whatever else runs. A second case measures
 * latency when idle: one event appended, time until its checkpoint (broker acknowledged).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type NewEvent, type RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { topicName } from '@leadership/messaging-contracts';
import {
  EventStoreKafkaRelay,
  integrationEvent,
  KafkaIntegrationEventPublisher,
  mapDomainEvents,
  mapToKafkaMessages,
  relayProducerConfig,
  silentMessagingLogger,
  SqliteRelayCheckpointStore,
  toTopicMessages,
  type IntegrationEventMapper,
} from '@leadership/messaging-kafka';
import { reportBench } from '@leadership/testing';
import { benchMandateGranted, benchMandateGrantedData, type BenchMandateGrantedData } from './support/bench-mandate-granted.contract';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 30_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const BATCH = 500;
const LATENCY_SAMPLES = 100;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

type MandateEvent = { readonly type: 'MandateGranted'; readonly data: BenchMandateGrantedData };

/** The benchmark contract on a topic of this round's own. */
function contractsFor(round: string): { topic: string; mapper: IntegrationEventMapper } {
  const topic = topicName('bench', `mandates-${round}`, 1);
  const mandateGranted = benchMandateGranted(topic);
  const mapper = mapDomainEvents<MandateEvent>('mandate', { MandateGranted: (e) => integrationEvent(mandateGranted, { ...e.data }) });
  return { topic, mapper };
}

function makeEvent(): NewEvent {
  return {
    type: 'MandateGranted',
    data: benchMandateGrantedData(),
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: 'person-42', traceparent: TRACEPARENT },
  };
}

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

/** Raw kafkajs: the same records, batch after batch, one in flight, acks=all. */
async function baseline(kafka: Kafka, events: readonly RecordedEvent[], round: string): Promise<number> {
  const { topic, mapper } = contractsFor(round);
  await createTopic(kafka, topic);
  const messages = events.flatMap((e) => mapToKafkaMessages(mapper, e)); // built before the clock starts
  const producer = kafka.producer(relayProducerConfig());
  await producer.connect();
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.sendBatch({ topicMessages: toTopicMessages(messages.slice(i, i + BATCH)), acks: -1, timeout: 30_000 });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return messages.length / seconds;
}

/** The relay catching up on the whole store from no checkpoint. */
async function relayed(kafka: Kafka, store: SqliteEventStore, file: string, head: bigint, round: string): Promise<{ rate: number; batches: number }> {
  const { topic, mapper } = contractsFor(round);
  await createTopic(kafka, topic);
  const publisher = new KafkaIntegrationEventPublisher(kafka);
  await publisher.connect();
  const checkpoints = new SqliteRelayCheckpointStore(file);
  let batches = 0;
  let reachedHead!: () => void;
  const done = new Promise<void>((resolve) => (reachedHead = resolve));
  const relay = new EventStoreKafkaRelay({
    name: `bench-${round}`,
    eventStore: store,
    checkpoints,
    mapper,
    publisher,
    maxBatchSize: BATCH,
    metrics: false,
    logger: silentMessagingLogger,
    onCheckpoint: (position) => {
      batches++;
      if (position === head) reachedHead();
    },
  });
  const started = process.hrtime.bigint();
  await relay.start();
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await relay.stop();
  checkpoints.close();
  return { rate: EVENTS / seconds, batches };
}

/** Idle relay: append one event, wait for its acknowledged checkpoint; percentiles in ms. */
async function idleLatency(kafka: Kafka, store: SqliteEventStore, file: string): Promise<{ p50: number; p99: number }> {
  const { topic, mapper } = contractsFor(`latency-${randomUUID().slice(0, 8)}`);
  await createTopic(kafka, topic);
  const head = (await store.headPosition()) ?? 0n;
  const checkpoints = new SqliteRelayCheckpointStore(file);
  await checkpoints.save('bench-latency', head); // start caught up
  let waiting: { position: bigint; resolve: () => void } | undefined;
  const publisher = new KafkaIntegrationEventPublisher(kafka);
  await publisher.connect();
  const relay = new EventStoreKafkaRelay({
    name: 'bench-latency',
    eventStore: store,
    checkpoints,
    mapper,
    publisher,
    metrics: false,
    logger: silentMessagingLogger,
    onCheckpoint: (position) => {
      if (waiting && position >= waiting.position) waiting.resolve();
    },
  });
  await relay.start();
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 10; i++) {
    const started = process.hrtime.bigint();
    const { position } = await store.appendToStream(`mandate-${randomUUID()}`, [makeEvent()]);
    await new Promise<void>((resolve) => (waiting = { position, resolve }));
    if (i >= 10) samples.push(Number(process.hrtime.bigint() - started) / 1e6); // first 10 warm up
    await new Promise((r) => setTimeout(r, 10));
  }
  await relay.stop();
  checkpoints.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const config = loadInfraConfig();
  console.log('kafka-relay: making sure the local Kafka runs (npm run infra)…');
  await up(config, ['kafka'], (line) => console.log(`  ${line}`));
  const kafka = new Kafka({ clientId: 'bench-kafka-relay', brokers: [`${config.host}:${config.ports.kafka}`], logLevel: logLevel.ERROR });

  const dir = mkdtempSync(join(tmpdir(), 'bench-kafka-relay-'));
  const file = join(dir, 'events.db');
  try {
    const store = new SqliteEventStore(file, { synchronous: 'NORMAL' });
    console.log(`kafka-relay: appending ${EVENTS} events to a SQLite event store…`);
    for (let i = 0; i < EVENTS; i += 10) {
      await store.appendToStream(`mandate-${randomUUID()}`, Array.from({ length: Math.min(10, EVENTS - i) }, makeEvent));
    }
    const events = await store.readAll();
    const head = events[events.length - 1]?.position ?? 0n;

    const baselineRates: number[] = [];
    const relayRates: number[] = [];
    const batchCounts: number[] = [];
    // Round 0 warms up both paths (JIT, connections, broker) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const id = randomUUID().slice(0, 8);
      const raw = await baseline(kafka, events, `raw-${id}`);
      const r = await relayed(kafka, store, file, head, `relay-${id}`);
      const label = round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`;
      console.log(`  ${label}: raw sendBatch ${raw.toFixed(0)} events/s, relay ${r.rate.toFixed(0)} events/s (${r.batches} batches)`);
      if (round === 0) continue;
      baselineRates.push(raw);
      relayRates.push(r.rate);
      batchCounts.push(r.batches);
    }
    console.log(`kafka-relay: idle latency, ${LATENCY_SAMPLES} single events…`);
    const latency = await idleLatency(kafka, store, file);
    await store.close();

    const base = median(baselineRates);
    const candidate = median(relayRates);
    reportBench({
      name: 'kafka-relay',
      unit: 'events/s',
      baseline: base,
      candidate,
      ratio: candidate / base,
      target: 0.7,
      extra: {
        events: EVENTS,
        rounds: ROUNDS,
        maxBatchSize: BATCH,
        'relay batches (median)': median(batchCounts),
        'baseline events/s per round': baselineRates.map((r) => r.toFixed(0)).join(' '),
        'relay events/s per round': relayRates.map((r) => r.toFixed(0)).join(' '),
        // Each round runs both sides back to back, so its ratio is the least affected by other load.
        'paired ratio per round': relayRates.map((r, i) => (r / (baselineRates[i] ?? NaN)).toFixed(3)).join(' '),
        'paired ratio (median)': Number(median(relayRates.map((r, i) => r / (baselineRates[i] ?? NaN))).toFixed(3)),
        'idle latency p50 ms (append → acked checkpoint)': Number(latency.p50.toFixed(2)),
        'idle latency p99 ms': Number(latency.p99.toFixed(2)),
      },
      notes:
        'baseline: raw kafkajs sendBatch of the same pre-built CloudEvents records (500 per batch, one in flight, idempotent, acks=all); ' +
        'candidate: EventStoreKafkaRelay catching up on a SQLite store from no checkpoint (read, map, validate, encode, send, checkpoint).',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
