import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { eventually, testInfra, uniqueName } from '@leadership/testing';

/*
 * Proves the broker is a real Kafka: partitions, per-key order, committed offsets and a
 * consumer-group rebalance when a member leaves are behaviours no in-memory fake provides.
 */
describe('Kafka (real broker)', () => {
  const kafka = new Kafka({ clientId: uniqueName('smoke'), brokers: [...testInfra().kafka.brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumers: Consumer[] = [];
  const topic = uniqueName('smoke.orders');
  const groupId = uniqueName('smoke-group');

  beforeAll(async () => {
    await admin.connect();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await producer.disconnect();
    await admin.disconnect();
  });

  function startConsumer(received: EachMessagePayload[]) {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
    consumers.push(consumer);
    return consumer
      .connect()
      .then(() => consumer.subscribe({ topic, fromBeginning: true }))
      .then(() => consumer.run({ eachMessage: async (payload) => void received.push(payload) }))
      .then(() => consumer);
  }

  it('spreads keys over 3 partitions and keeps order per key', async () => {
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    for (let seq = 0; seq < 20; seq++) {
      await producer.send({ topic, messages: keys.map((key) => ({ key, value: JSON.stringify({ key, seq }) })) });
    }
    const received: EachMessagePayload[] = [];
    const first = await startConsumer(received);
    await eventually(() => (received.length >= 120 ? true : undefined), { what: '120 messages', timeoutMs: 30_000 });

    const partitionsUsed = new Set(received.map((m) => m.partition));
    expect(partitionsUsed.size).toBeGreaterThan(1);
    for (const key of keys) {
      const seqs = received
        .filter((m) => m.message.key?.toString() === key)
        .map((m) => (JSON.parse(m.message.value!.toString()) as { seq: number }).seq);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i));
      // One key, one partition.
      expect(new Set(received.filter((m) => m.message.key?.toString() === key).map((m) => m.partition)).size).toBe(1);
    }

    // Offsets are committed to the broker's group coordinator.
    await first.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(120);
  });

  it('lets a second group member take over the partitions after the first disconnects', async () => {
    const a: EachMessagePayload[] = [];
    const b: EachMessagePayload[] = [];
    const consumerA = await startConsumer(a);
    const consumerB = await startConsumer(b);
    // Give the group a moment to settle with both members before A leaves.
    await new Promise((r) => setTimeout(r, 2000));
    await consumerA.disconnect();

    await producer.send({
      topic,
      messages: ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((key) => ({ key, value: JSON.stringify({ key, seq: 100 }) })),
    });
    await eventually(() => (b.length >= 6 ? true : undefined), { what: 'B receives all partitions', timeoutMs: 30_000 });
    // Nothing before the committed offsets is delivered again to the new owner.
    expect(b.every((m) => (JSON.parse(m.message.value!.toString()) as { seq: number }).seq === 100)).toBe(true);
    expect(new Set(b.map((m) => m.partition)).size).toBeGreaterThan(1);
    await consumerB.disconnect();
  });
});
