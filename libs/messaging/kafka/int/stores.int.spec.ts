import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { MongoProcessedEventStore, MongoRelayCheckpointStore, SqliteRelayCheckpointStore } from '@leadership/messaging-kafka';
import { useIsolatedMongo } from './support/isolated-mongo';

const details = { type: 'leadership.itest.task-assigned.v1', topic: 'leadership.itest.tasks.v1', partition: 1, offset: '42' };

describe('MongoDB stores (FerretDB or MongoDB)', () => {
  const mongo = useIsolatedMongo('messaging_stores');

  it('records a processed event once per group, whoever races for it', async () => {
    const store = MongoProcessedEventStore.inDatabase(mongo.db());
    expect(await store.isProcessed('g1', 'e-1')).toBe(false);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.markProcessed('g1', 'e-1', details)));
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(7);
    expect(await store.isProcessed('g1', 'e-1')).toBe(true);
    // Another group has its own memory.
    expect(await store.isProcessed('g2', 'e-1')).toBe(false);
    await expect(store.markProcessed('g2', 'e-1', details)).resolves.toBe('recorded');
    expect(await mongo.db().collection('processed_events').findOne({ _id: 'g1|e-1' as never })).toMatchObject({ group: 'g1', eventId: 'e-1', offset: '42' });
  });

  it("forgets one group's records made before a cut-off, and nothing else", async () => {
    const store = MongoProcessedEventStore.inDatabase(mongo.db(), 'processed_events_retention');
    await store.markProcessed('g1', 'old', details);
    await store.markProcessed('g2', 'old', details);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const cutoff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await store.markProcessed('g1', 'new', details);

    await expect(store.forgetBefore('g1', cutoff)).resolves.toBe(1);
    expect(await store.isProcessed('g1', 'old')).toBe(false);
    expect(await store.isProcessed('g1', 'new')).toBe(true);
    expect(await store.isProcessed('g2', 'old')).toBe(true);
    await expect(store.forgetBefore('g1', cutoff)).resolves.toBe(0);
    const indexes = await mongo.db().collection('processed_events_retention').indexes();
    expect(indexes.map((i) => i.name)).toContain('group_processedAt');
  });

  it('keeps relay checkpoints as exact 64-bit positions that only move forward', async () => {
    const store = MongoRelayCheckpointStore.inDatabase(mongo.db());
    expect(await store.load('r1')).toBeUndefined();
    await store.save('r1', 5n);
    expect(await store.load('r1')).toBe(5n);
    await store.save('r1', 3n);
    expect(await store.load('r1')).toBe(5n);
    const big = 2n ** 60n + 7n; // beyond a double's exact range
    await store.save('r1', big);
    expect(await store.load('r1')).toBe(big);
  });
});

describe('SqliteRelayCheckpointStore beside the event store', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-checkpoint-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shares the event store file, only moves forward and survives a reopen', async () => {
    const file = join(dir, 'events.db');
    const events = new SqliteEventStore(file);
    const checkpoints = new SqliteRelayCheckpointStore(file);
    await events.appendToStream('task-1', [{ type: 'TaskAssigned', data: {}, metadata: { eventId: randomUUID() } }]);
    await checkpoints.save('r1', 9n);
    await checkpoints.save('r1', 4n);
    checkpoints.close();
    const reopened = new SqliteRelayCheckpointStore(file);
    expect(await reopened.load('r1')).toBe(9n);
    expect(await reopened.load('r2')).toBeUndefined();
    reopened.close();
    expect(await events.headPosition()).toBe(1n);
    await events.close();
  });
});
