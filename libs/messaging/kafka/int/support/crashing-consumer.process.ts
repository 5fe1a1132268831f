/*
 * A consumer process for consumer-crash.int.spec.ts: a tiny Nest application whose
 * CloudEventsKafkaServer handler applies each event's effect to MongoDB (a plain insert,
 * deliberately not idempotent) and kills the process with SIGKILL when it is entered for the
 * `killAt`-th time: a crash in the middle of a batch, after earlier messages of that batch were
 * handled but before their offsets were committed.
 */
import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { CloudEventsKafkaServer, IntegrationEventHandler, MongoProcessedEventStore, silentMessagingLogger } from '@leadership/messaging-kafka';
import { startConsumerApp } from './consumer-app';
import { itestContracts } from './itest-contracts';
import { kafkaClient } from './kafka-helpers';

interface CrashConfig {
  readonly brokers: string[];
  readonly mongoUri: string;
  readonly dbName: string;
  readonly topic: string;
  readonly group: string;
  readonly killAt: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env['CRASH_CONFIG'] ?? '{}') as CrashConfig;
  const { taskAssigned } = itestContracts('unused', config.topic);
  const client = await MongoClient.connect(config.mongoUri);
  const db = client.db(config.dbName);
  let entered = 0;

  @Controller()
  class TaskEventsController {
    @IntegrationEventHandler(taskAssigned)
    async onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>): Promise<void> {
      entered++;
      if (entered === config.killAt) process.kill(process.pid, 'SIGKILL');
      await db.collection('effects').insertOne({ eventId: event.id, seq: event.data.seq, by: 'first-process' });
    }
  }

  const server = new CloudEventsKafkaServer({
    kafka: kafkaClient(config.brokers),
    group: config.group,
    dedupe: { by: 'event-id', store: MongoProcessedEventStore.inDatabase(db) },
    // Only batch ends commit, so the crash leaves handled messages uncommitted.
    commitIntervalMs: 600_000,
    commitThreshold: 100_000,
    consumer: { sessionTimeout: 6000, heartbeatInterval: 500 },
    metrics: new Registry(),
    logger: silentMessagingLogger,
  });
  await startConsumerApp(server, [TaskEventsController]);
}

main().catch((error: unknown) => {
  process.stderr.write(`crashing consumer failed: ${String(error)}\n`);
  process.exit(2);
});
