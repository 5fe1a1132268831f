import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { CloudEventsKafkaServer, encodeCloudEvent, IntegrationEventHandler, silentMessagingLogger } from '@leadership/messaging-kafka';
import { dedicatedKafkaSupport, eventually, startDedicatedKafka, uniqueName, type DedicatedKafka } from '@leadership/testing';
import { Registry } from 'prom-client';
import { startConsumerApp } from './support/consumer-app';
import { itestContracts } from './support/itest-contracts';
import { createTopic, kafkaClient } from './support/kafka-helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * The broker dies under a running consumer and comes back after a long outage: the consumer, with
 * its default reconnect policy, must get back into its group and handle what was written since,
 * and how long that took is printed (the README's figure). A Kafka of its own: it is killed.
 */
const support = dedicatedKafkaSupport();
if (!support.supported) console.warn(`consumer broker-outage test skipped: ${support.reason}`);
const describeWithDedicatedKafka = support.supported ? describe : describe.skip;

describeWithDedicatedKafka('CloudEventsKafkaServer: the broker killed and back after a long outage', () => {
  let broker: DedicatedKafka | undefined;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    broker = await startDedicatedKafka({ name: 'messaging-consumer-outage', port: 19892 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await broker?.stop();
  }, 60_000);

  it('rejoins with the default back-off within seconds of the broker answering again, and handles what was written meanwhile', async () => {
    if (!broker) throw new Error('no dedicated broker');
    const { topic, taskAssigned } = itestContracts('consumer-outage');
    const kafka = kafkaClient(broker.brokers);
    await createTopic(kafka, topic, 1);
    const handled: number[] = [];

    @Controller()
    class TaskEventsController {
      @IntegrationEventHandler(taskAssigned)
      onTaskAssigned(@Payload() event: CloudEventOf<typeof taskAssigned>): void {
        handled.push(event.data.seq);
      }
    }

    const server = new CloudEventsKafkaServer({
      kafka: { clientId: uniqueName('outage-consumer'), brokers: [...broker.brokers] },
      group: uniqueName('itest-outage'),
      dedupe: { by: 'aggregate-version' }, // the handler keeps no state worth guarding; any strategy but the store-backed one
      metrics: new Registry(),
      logger: silentMessagingLogger,
    });
    app = await startConsumerApp(server, [TaskEventsController]);
    const send = async (seq: number) => {
      const producer = kafka.producer();
      await producer.connect();
      const m = encodeCloudEvent(taskAssigned, { id: randomUUID(), time: new Date().toISOString(), data: { taskId: 't1', assignee: 'p1', seq } });
      await producer.send({ topic, acks: -1, messages: [{ key: m.key, value: m.value, headers: { ...m.headers } }] }).finally(() => producer.disconnect());
    };
    await send(1);
    await eventually(() => (handled.length === 1 ? true : undefined), { timeoutMs: 30_000, what: 'the first message handled' });

    await broker.stop('SIGKILL');
    // Long enough for the consumer's back-off to grow to its cap (and kafkajs' own retries to give up).
    await eventually(() => (server.consumerStatus().state === 'reconnecting' ? true : undefined), { timeoutMs: 60_000, what: 'the consumer reconnecting' });
    await sleep(45_000);
    expect(handled).not.toContain(2);

    await broker.start();
    const back = performance.now();
    await send(2);
    await eventually(() => (handled.includes(2) ? true : undefined), { timeoutMs: 120_000, what: 'the message written after the return handled' });
    // At least once: 1 comes again when its offset was not committed before the kill (autocommit is per second).
    expect(handled.filter((seq) => seq !== 1)).toEqual([2]);
    const rejoinedS = (performance.now() - back) / 1_000;
    console.log(`consumer outage: handled the first message written after the broker's return ${rejoinedS.toFixed(1)} s after it answered`);
    expect(server.consumerStatus().state).toBe('running');
  }, 360_000);
});
