/*
 * npm run bench -- kafka-consumer
 *
 * Messages per second through a Nest consumer (CloudEventsKafkaServer attached with
 * connectMicroservice, an @IntegrationEventHandler handler that does nothing) against the
 * physical limit: a raw kafkajs consumer with the same loop shape (eachBatch, resolve each
 * offset, auto commit) that only reads the value, over the very same records on the local Kafka
 * (started here if it is not running). What the candidate adds per message: CloudEvents header
 * checks and zod validation, the Nest handler pipeline, the request context, bookkeeping.
 *
 * Dedupe is by aggregate version (no store), so MongoDB round trips do not hide the consumer's
 * own cost. Each side reads the topic with a fresh group; the clock starts at the first message
 * (a group join takes seconds and is not consumption) and stops at the last. Rounds alternate
 * both sides; the median is reported, because the two cores are shared.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { topicName, type CloudEventOf } from '@leadership/messaging-contracts';
import { CloudEventsKafkaServer, encodeCloudEvent, IntegrationEventHandler, silentMessagingLogger } from '@leadership/messaging-kafka';
import { reportBench } from '@leadership/testing';
import { benchMandateGranted, benchMandateGrantedData } from './support/bench-mandate-granted.contract';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PARTITIONS = 3;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const topic = topicName('bench', `consumer-${randomUUID().slice(0, 8)}`, 1);
const mandateGranted = benchMandateGranted(topic);

/** Counts handled messages and remembers when the first and the last one arrived. */
class Stopwatch {
  count = 0;
  private first = 0n;
  private last = 0n;
  private reached!: () => void;
  readonly done = new Promise<void>((resolve) => (this.reached = resolve));

  tick(): void {
    const now = process.hrtime.bigint();
    if (this.count === 0) this.first = now;
    this.count++;
    this.last = now;
    if (this.count === MESSAGES) this.reached();
  }

  rate(): number {
    return (MESSAGES - 1) / (Number(this.last - this.first) / 1e9);
  }
}

let current: Stopwatch | undefined;

@Controller()
class BenchController {
  @IntegrationEventHandler(mandateGranted)
  async onGranted(@Payload() _event: CloudEventOf<typeof mandateGranted>): Promise<void> {
    current?.tick();
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function produce(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < MESSAGES; i += 500) {
    const messages = Array.from({ length: Math.min(500, MESSAGES - i) }, () => {
      const m = encodeCloudEvent(mandateGranted, {
        id: randomUUID(),
        time: new Date().toISOString(),
        correlationId: randomUUID(),
        traceparent: TRACEPARENT,
        data: benchMandateGrantedData(),
      });
      return { key: m.key, value: m.value, headers: { ...m.headers } };
    });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Raw kafkajs: eachBatch, read the value, resolve the offset; kafkajs auto-commits. */
async function baseline(kafka: Kafka): Promise<number> {
  const watch = new Stopwatch();
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
      for (const message of batch.messages) {
        if (message.value?.length) watch.tick();
        resolveOffset(message.offset);
        await commitOffsetsIfNecessary();
      }
      await heartbeat();
    },
  });
  await watch.done;
  await consumer.disconnect();
  return watch.rate();
}

/** The Nest consumer: connectMicroservice + startAllMicroservices, the handler ticks. */
async function nestConsumer(kafka: Kafka): Promise<number> {
  const watch = new Stopwatch();
  current = watch;
  const app: INestApplication = await NestFactory.create(BenchModule, { logger: false });
  app.connectMicroservice({
    strategy: new CloudEventsKafkaServer({
      kafka,
      group: `bench-nest-${randomUUID()}`,
      dedupe: { by: 'aggregate-version' },
      metrics: new Registry(),
      logger: silentMessagingLogger,
    }),
  });
  await app.init();
  await app.startAllMicroservices();
  await watch.done;
  await app.close();
  return watch.rate();
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const config = loadInfraConfig();
  console.log('kafka-consumer: making sure the local Kafka runs (npm run infra)…');
  await up(config, ['kafka'], (line) => console.log(`  ${line}`));
  const kafka = new Kafka({ clientId: 'bench-kafka-consumer', brokers: [`${config.host}:${config.ports.kafka}`], logLevel: logLevel.ERROR });
  console.log(`kafka-consumer: producing ${MESSAGES} CloudEvents to ${topic} (${PARTITIONS} partitions)…`);
  await produce(kafka);
  const raw: number[] = [];
  const nest: number[] = [];
  // Round 0 warms up both paths (JIT, connections, page cache) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const r = await baseline(kafka);
    const n = await nestConsumer(kafka);
    console.log(`  ${round === 0 ? 'warm-up' : `round ${round}/${ROUNDS}`}: raw kafkajs ${r.toFixed(0)} msg/s, Nest consumer ${n.toFixed(0)} msg/s`);
    if (round === 0) continue;
    raw.push(r);
    nest.push(n);
  }
  const base = median(raw);
  const candidate = median(nest);
  reportBench({
    name: 'kafka-consumer',
    unit: 'messages/s',
    baseline: base,
    candidate,
    ratio: candidate / base,
    target: 0.3,
    extra: {
      messages: MESSAGES,
      partitions: PARTITIONS,
      rounds: ROUNDS,
      'baseline msg/s per round': raw.map((r) => r.toFixed(0)).join(' '),
      'Nest consumer msg/s per round': nest.map((r) => r.toFixed(0)).join(' '),
      'paired ratio per round': nest.map((n, i) => (n / (raw[i] ?? NaN)).toFixed(3)).join(' '),
      'Nest consumer µs per message (median)': Number((1e6 / candidate).toFixed(1)),
    },
    notes:
      'baseline: raw kafkajs eachBatch reading the value and resolving each offset (auto commit); candidate: CloudEventsKafkaServer + @IntegrationEventHandler ' +
      '(CloudEvents decode, zod validation, Nest handler pipeline, request context, offset bookkeeping), dedupe by aggregate version; clock from first to last message.',
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
