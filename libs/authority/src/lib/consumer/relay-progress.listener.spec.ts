import type { ConsumerConfig, EachMessagePayload, Kafka } from 'kafkajs';
import { DELEGATION_RELAY_PROGRESS_TOPIC, DelegationRelayProgress } from '@leadership/delegation-contracts';
import { encodeCloudEvent, silentMessagingLogger } from '@leadership/messaging-kafka';
import { RelayProgressListener } from './relay-progress.listener';

/** Stands in for a kafkajs consumer: records what it was asked and lets the spec deliver and crash. */
class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' } as const;
  readonly listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  subscribed: { topics: string[]; fromBeginning: boolean } | undefined;
  runConfig: { autoCommit: boolean; eachMessage: (payload: EachMessagePayload) => Promise<void> } | undefined;
  disconnected = false;
  constructor(readonly config: ConsumerConfig) {}
  on(event: string, listener: (event: { payload: unknown }) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  emit(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
  connected = false;
  async connect() {
    this.connected = true;
  }
  async subscribe(options: { topics: string[]; fromBeginning: boolean }) {
    this.subscribed = options;
  }
  async run(config: FakeConsumer['runConfig']) {
    this.runConfig = config;
    this.emit(this.events.GROUP_JOIN, {});
  }
  async disconnect() {
    this.disconnected = true;
  }
  deliver(value: string, headers: Record<string, string>) {
    return this.runConfig?.eachMessage({ topic: DELEGATION_RELAY_PROGRESS_TOPIC, partition: 0, message: { key: Buffer.from('delegation'), value: Buffer.from(value), headers, offset: '0', timestamp: '0', attributes: 0 } } as unknown as EachMessagePayload);
  }
}

function fakeKafka() {
  const consumers: FakeConsumer[] = [];
  const kafka = { consumer: (config: ConsumerConfig) => consumers[consumers.push(new FakeConsumer(config)) - 1] } as unknown as Kafka;
  return { kafka, consumers };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
};

describe('RelayProgressListener (the delegation relay\'s reports, for this instance alone)', () => {
  it('joins a group of its own per instance, from the latest offset, never creating the topic nor committing', async () => {
    const { kafka, consumers } = fakeKafka();
    const one = new RelayProgressListener({ kafka, group: 'case-distribution.authority', onProgress: () => undefined });
    const other = new RelayProgressListener({ kafka, group: 'case-distribution.authority', onProgress: () => undefined });
    one.start();
    other.start();
    await until(() => one.status().state === 'running' && other.status().state === 'running');
    expect(one.group).toMatch(/^case-distribution\.authority\.relay-progress\.[0-9a-f]{8}$/);
    expect(one.group).not.toBe(other.group);
    expect(consumers[0]?.config).toMatchObject({ groupId: one.group, allowAutoTopicCreation: false });
    expect(consumers[0]?.subscribed).toEqual({ topics: [DELEGATION_RELAY_PROGRESS_TOPIC], fromBeginning: false });
    expect(consumers[0]?.runConfig?.autoCommit).toBe(false);
    await Promise.all([one.stop(), other.stop()]);
    expect(consumers.every((c) => c.disconnected)).toBe(true);
    expect(one.status().state).toBe('stopped');
  });

  it('hands each valid report\'s moment on, and skips a malformed one', async () => {
    const { kafka, consumers } = fakeKafka();
    const seen: number[] = [];
    const listener = new RelayProgressListener({ kafka, group: 'g', onProgress: (at) => seen.push(at), logger: silentMessagingLogger });
    listener.start();
    await until(() => listener.status().state === 'running');
    const report = encodeCloudEvent(DelegationRelayProgress, { id: 'r1', time: '2030-01-01T00:00:00.100Z', data: { coveredUntil: '2030-01-01T00:00:00.100Z', position: '7', relay: 'delegation' } });
    await consumers[0]?.deliver(report.value, { ...report.headers });
    await consumers[0]?.deliver('{"coveredUntil":"soon"}', { ...report.headers });
    await consumers[0]?.deliver(report.value, {});
    expect(seen).toEqual([Date.parse('2030-01-01T00:00:00.100Z')]);
    expect(listener.status()).toMatchObject({ reports: 1, malformed: 2 });
    await listener.stop();
  });

  it('joins again with a new consumer after kafkajs gave up (a crash without restart), and can be started again after a stop', async () => {
    const { kafka, consumers } = fakeKafka();
    const listener = new RelayProgressListener({ kafka, group: 'g', onProgress: () => undefined, reconnect: { initialDelayMs: 1, maxDelayMs: 1 }, logger: silentMessagingLogger });
    listener.start();
    await until(() => listener.status().state === 'running');
    consumers[0]?.emit('consumer.crash', { restart: false, error: new Error('KafkaJSNumberOfRetriesExceeded') });
    await until(() => consumers.length === 2 && listener.status().state === 'running');
    expect(consumers[0]?.disconnected).toBe(true);
    await listener.stop();
    listener.start();
    await until(() => consumers.length === 3 && listener.status().state === 'running');
    await listener.stop();
  });
});
