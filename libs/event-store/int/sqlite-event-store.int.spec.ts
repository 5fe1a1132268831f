import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { eventually } from '@leadership/testing';
import { ReadOnlyEventStoreError, WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { describeEventStoreContract } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'event-store-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contractFile = join(dir, 'contract.sqlite');
describeEventStoreContract('SQLite', () => ({
  open: () => new SqliteEventStore(contractFile),
  remote: { adapter: 'sqlite', file: contractFile },
}));

function newEvent(type: string): NewEvent {
  return { type, data: { type }, metadata: { eventId: randomUUID() } };
}

describe('SqliteEventStore on a file', () => {
  const stores: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  function track<T extends { close(): Promise<void> }>(store: T): T {
    stores.push(store);
    return store;
  }

  it('uses WAL and fsyncs every commit by default; NORMAL and the busy timeout can be chosen', () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    expect(track(new SqliteEventStore(file)).settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', busyTimeoutMs: 5000 });
    expect(track(new SqliteEventStore(file, { synchronous: 'NORMAL', busyTimeoutMs: 250 })).settings()).toEqual({
      journalMode: 'wal',
      synchronous: 'NORMAL',
      busyTimeoutMs: 250,
    });
    // WAL is a property of the file: another connection sees it too.
    const probe = new Database(file, { readonly: true });
    try {
      expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      probe.close();
    }
  });

  it('keeps appended events across close and reopen', async () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const first = new SqliteEventStore(file);
    const result = await first.appendToStream('durable-1', [newEvent('Kept'), newEvent('AlsoKept')], 'no_stream');
    await first.close();

    const reopened = track(new SqliteEventStore(file));
    const events = await reopened.readStream('durable-1');
    expect(events.map((e) => e.type)).toEqual(['Kept', 'AlsoKept']);
    expect(await reopened.headPosition()).toBe(result.position);
  });

  it('opens the same file read-only: reads and subscribes, refuses appends', async () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const writer = track(new SqliteEventStore(file));
    await writer.appendToStream('shared-1', [newEvent('One')]);
    const reader = track(SqliteEventStore.openReadOnly(file, { pollIntervalMs: 10 }));

    expect((await reader.readStream('shared-1')).map((e) => e.type)).toEqual(['One']);
    const seen: RecordedEvent[] = [];
    const subscription = reader.subscribeToAll({ onEvent: async (e) => void seen.push(e) });
    await writer.appendToStream('shared-1', [newEvent('Two')]);
    await eventually(() => (seen.length >= 2 ? true : undefined), { what: 'the reader to see the new event' });
    await subscription.stop();
    expect(seen.map((e) => e.type)).toEqual(['One', 'Two']);

    const appendable = reader as unknown as EventStore;
    await expect(appendable.appendToStream('shared-1', [newEvent('Three')])).rejects.toBeInstanceOf(ReadOnlyEventStoreError);
    expect(await writer.readStream('shared-1')).toHaveLength(2);
  });

  it('close() stops its subscriptions after their handler, is idempotent, and later calls are refused', async () => {
    const store = new SqliteEventStore(join(dir, `${randomUUID()}.sqlite`));
    await store.appendToStream('closing-1', [newEvent('One')]);
    let handling = false;
    let finished = false;
    const subscription = store.subscribeToAll({
      onEvent: async () => {
        handling = true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      },
    });
    await eventually(() => (handling ? true : undefined), { what: 'the handler to start' });

    await store.close();
    expect(finished).toBe(true);
    await expect(subscription.done).resolves.toBeUndefined();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.appendToStream('closing-1', [newEvent('Two')])).rejects.toThrow(/closed/);
    await expect(store.readStream('closing-1')).rejects.toThrow(/closed/);
  });

  it('refuses to open a missing file read-only, and a file that is not an event store', () => {
    expect(() => SqliteEventStore.openReadOnly(join(dir, 'missing.sqlite'))).toThrow();
    const other = join(dir, `${randomUUID()}.sqlite`);
    new Database(other).exec('CREATE TABLE t (x)').close();
    expect(() => SqliteEventStore.openReadOnly(other)).toThrow(/not an event store/);
  });

  it('the database refuses a second event at the same revision even without the adapter', () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    track(new SqliteEventStore(file));
    const raw = new Database(file);
    try {
      const insert = raw.prepare(
        `INSERT INTO events (stream_name, stream_category, revision, event_id, type, data, metadata, recorded_at) VALUES ('raw-1', 'raw', 0, ?, 'T', '{}', '{}', '2020-01-01T00:00:00.000Z')`,
      );
      insert.run(randomUUID());
      expect(() => insert.run(randomUUID())).toThrow(/UNIQUE constraint failed: events.stream_name, events.revision/);
    } finally {
      raw.close();
    }
  });

  it('uses the indexes for the readAll filters', () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    track(new SqliteEventStore(file));
    const raw = new Database(file, { readonly: true });
    try {
      const plan = (sql: string): string => raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail).join('\n');
      expect(plan("SELECT * FROM events WHERE position > 0 AND stream_category IN ('a') ORDER BY position LIMIT 10")).toMatch(/events_category_position/);
      expect(plan("SELECT * FROM events WHERE position > 0 AND type IN ('T') ORDER BY position LIMIT 10")).toMatch(/events_type_position/);
    } finally {
      raw.close();
    }
  });
});

/*
 * Group commit: appends of one event-loop turn share one transaction (one fsync), each in its
 * own savepoint. These check that sharing changes nothing a caller can see.
 */
describe('SqliteEventStore group commit', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore(join(dir, `${randomUUID()}.sqlite`));
  });
  afterEach(() => store.close());

  it('writes concurrent appends to different streams in one commit, each at its own consecutive positions', async () => {
    const streams = Array.from({ length: 20 }, () => `group-${randomUUID()}`);
    const results = await Promise.all(streams.map((s) => store.appendToStream(s, [newEvent('A'), newEvent('B')], 'no_stream')));
    expect(results.map((r) => r.nextExpectedRevision)).toEqual(streams.map(() => 1));
    const positions = results.map((r) => r.position).sort((a, b) => (a < b ? -1 : 1));
    expect(new Set(positions).size).toBe(20);
    for (const s of streams) expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B']);
  });

  it('refuses only the append whose revision no longer holds; the others of the same turn are written', async () => {
    const contested = `group-${randomUUID()}`;
    const other = `group-${randomUUID()}`;
    const outcomes = await Promise.allSettled([
      store.appendToStream(contested, [newEvent('First')], 'no_stream'),
      store.appendToStream(contested, [newEvent('Second')], 'no_stream'),
      store.appendToStream(other, [newEvent('Other')], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream(contested)).map((e) => e.type)).toEqual(['First']);
    expect((await store.readStream(other)).map((e) => e.type)).toEqual(['Other']);
  });

  it('treats a retry in the same turn (same event ids) as the idempotent repeat of the first', async () => {
    const stream = `group-${randomUUID()}`;
    const batch = [newEvent('Once')];
    const [first, retry] = await Promise.all([store.appendToStream(stream, batch, 'no_stream'), store.appendToStream(stream, batch, 'no_stream')]);
    expect(retry).toEqual(first);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('writes appends still queued when the store is closed', async () => {
    const file = join(dir, `${randomUUID()}.sqlite`);
    const closing = new SqliteEventStore(file);
    const stream = `group-${randomUUID()}`;
    const appended = closing.appendToStream(stream, [newEvent('Late')], 'no_stream');
    await closing.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });
    const reopened = new SqliteEventStore(file);
    expect((await reopened.readStream(stream)).map((e) => e.type)).toEqual(['Late']);
    await reopened.close();
  });
});
