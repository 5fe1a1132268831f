import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import { eventually, uniqueName } from '@leadership/testing';

export function kafkaClient(brokers: readonly string[]): Kafka {
  return new Kafka({ clientId: uniqueName('itest'), brokers: [...brokers], logLevel: logLevel.NOTHING });
}

export async function createTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** A consumed record with its place in the log and its headers as text. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v)]));
}

/**
 * Reads a topic from the beginning up to its current end (high watermark of every partition,
 * taken when called), with a group of its own. Exact: nothing is missed by stopping early.
 */
export async function readToEnd(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  const records: ReadRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName('itest-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString(),
          value: message.value?.toString(),
          headers: textHeaders(message.headers),
        });
        const high = remaining.get(partition);
        if (high !== undefined && Number(message.offset) + 1 >= high) remaining.delete(partition);
      },
    });
    await eventually(() => (remaining.size === 0 ? true : undefined), { timeoutMs, what: `reading ${topic} to its end` });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** The group's committed offsets on a topic, per partition (`-1`: nothing committed). */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (committed?.partitions ?? []).map(({ partition, offset }) => ({ partition, offset }));
  } finally {
    await admin.disconnect();
  }
}
