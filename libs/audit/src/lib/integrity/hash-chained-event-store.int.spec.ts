import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventIdConflictError, WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { computeEventHashV2, readIntegrity, type IntegrityMetadataV2 } from './event-hash';
import { HashChainedEventStore } from './hash-chained-event-store';
import { verifyIntegrity } from './verify-integrity';

const STREAM = 'delegation-m-1';

function event(n: number, eventId: string = randomUUID()): NewEvent {
  return { type: 'MandateCheckInRecorded', data: { mandateId: 'm-1', actorId: 'p-1', at: `2025-03-01T00:00:${String(n % 60).padStart(2, '0')}Z`, note: `check-in ${n}` }, metadata: { eventId, actor: 'p-1' } };
}

/** Asserts the stream is one intact chain, recomputing every hash from what is stored. */
function expectChained(events: readonly RecordedEvent[]): void {
  let previousHash: string | null = null;
  events.forEach((stored, revision) => {
    expect(stored.revision).toBe(revision);
    const integrity = readIntegrity(stored.metadata) as IntegrityMetadataV2 | undefined;
    expect(integrity).toMatchObject({ scheme: 2, previousHash });
    const recordedAt = integrity?.recordedAt ?? '';
    const hash = computeEventHashV2({ previousHash, streamName: stored.streamName, revision, type: stored.type, data: stored.data, metadata: stored.metadata, recordedAt });
    expect(integrity?.hash).toBe(hash);
    previousHash = hash;
  });
}

describe('HashChainedEventStore (SQLite file)', () => {
  let dir: string;
  let inner: SqliteEventStore;
  let store: HashChainedEventStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-chain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    inner = new SqliteEventStore(join(dir, `${randomUUID()}.sqlite`), { synchronous: 'NORMAL' });
    store = new HashChainedEventStore(inner);
  });
  afterEach(() => store.close());

  it('links every appended event to the previous one of its stream, across batches', async () => {
    await store.appendToStream(STREAM, [event(0), event(1)], 'no_stream');
    await store.appendToStream(STREAM, [event(2)], 1);
    await store.appendToStream(STREAM, [event(3), event(4), event(5)]);
    await store.appendToStream('delegation-m-2', [event(6)], 'no_stream');

    const stored = await inner.readStream(STREAM);
    expect(stored).toHaveLength(6);
    expectChained(stored);
    expect(readIntegrity(stored[0]!.metadata)).toMatchObject({ algorithm: 'sha256', previousHash: null });
    expectChained(await inner.readStream('delegation-m-2'));
    expect(await verifyIntegrity(inner)).toEqual({ verdict: 'intact', streamsChecked: 2, eventsChecked: 7, problems: [], headPosition: 7n, anchors: null });
  });

  it('keeps the caller metadata next to the integrity entry', async () => {
    const correlationId = randomUUID();
    await store.appendToStream(STREAM, [{ ...event(0), metadata: { eventId: randomUUID(), correlationId, actor: 'p-1' } }]);
    const [stored] = await inner.readStream(STREAM);
    expect(stored?.metadata).toMatchObject({ correlationId, actor: 'p-1', integrity: { algorithm: 'sha256' } });
  });

  it('keeps optimistic concurrency: a wrong expected revision is refused with the caller’s expectation', async () => {
    await store.appendToStream(STREAM, [event(0), event(1)], 'no_stream');
    await expect(store.appendToStream(STREAM, [event(2)], 0)).rejects.toThrow(WrongExpectedRevisionError);
    await expect(store.appendToStream(STREAM, [event(2)], 5)).rejects.toMatchObject({ expected: 5, actual: 1 });
    await expect(store.appendToStream(STREAM, [event(2)], 'no_stream')).rejects.toMatchObject({ expected: 'no_stream', actual: 1 });
    await expect(store.appendToStream('delegation-none', [event(2)], 'stream_exists')).rejects.toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    await expect(store.appendToStream('delegation-none', [event(2)], 3)).rejects.toMatchObject({ expected: 3, actual: 'no_stream' });
    expect(await inner.readStream(STREAM)).toHaveLength(2);
    expect(await inner.readStream('delegation-none')).toEqual([]);
  });

  it('refuses an invalid expected revision before touching the store', async () => {
    await expect(store.appendToStream(STREAM, [event(0)], -1)).rejects.toThrow(RangeError);
  });

  it('returns the original result for an idempotent retry (same event ids) and writes nothing', async () => {
    const batch = [event(0), event(1)];
    const first = await store.appendToStream(STREAM, batch, 'no_stream');
    await store.appendToStream(STREAM, [event(2)], 1);

    // Retried with the original expectation (now stale) and with 'any': both are retries.
    await expect(store.appendToStream(STREAM, batch, 'no_stream')).resolves.toEqual(first);
    await expect(store.appendToStream(STREAM, batch, 'any')).resolves.toEqual(first);
    const last = await store.appendToStream(STREAM, [event(3, randomUUID())], 2);
    await expect(store.appendToStream(STREAM, [event(3, randomUUID())], 2)).rejects.toThrow(WrongExpectedRevisionError);
    expect(last.nextExpectedRevision).toBe(3);
    const stored = await inner.readStream(STREAM);
    expect(stored).toHaveLength(4);
    expectChained(stored);
  });

  it('still refuses a batch that is only partly stored', async () => {
    const stored = event(0);
    await store.appendToStream(STREAM, [stored], 'no_stream');
    await expect(store.appendToStream(STREAM, [stored, event(1)], 0)).rejects.toThrow(EventIdConflictError);
    await expect(store.appendToStream(STREAM, [stored, event(1)], 'any')).rejects.toThrow(EventIdConflictError);
  });

  it('chains correctly when two store instances on one file append concurrently with "any" and "stream_exists"', async () => {
    const file = join(dir, 'concurrent.sqlite');
    const a = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
    const b = new HashChainedEventStore(new SqliteEventStore(file, { synchronous: 'NORMAL' }));
    try {
      await a.appendToStream(STREAM, [event(0)], 'no_stream');
      const writer = (target: HashChainedEventStore, offset: number) =>
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            target.appendToStream(STREAM, i % 3 === 0 ? [event(offset + i), event(offset + i + 1000)] : [event(offset + i)], i % 2 === 0 ? 'any' : 'stream_exists'),
          ),
        );
      await Promise.all([writer(a, 1), writer(b, 100)]);

      const stored = await a.readStream(STREAM);
      // 1 + 2 writers × (40 appends + 14 two-event batches)
      expect(stored).toHaveLength(1 + 2 * (40 + 14));
      expectChained(stored);
      const reader = SqliteEventStore.openReadOnly(file);
      await expect(verifyIntegrity(reader)).resolves.toMatchObject({ eventsChecked: stored.length, problems: [] });
      await reader.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('gives up after maxAttempts under contention, with a WrongExpectedRevisionError', async () => {
    // A store whose head moves on every read: the decorator can never append at the revision it read.
    let revision = 0;
    const racing: SqliteEventStore = Object.assign(Object.create(inner) as SqliteEventStore, {
      readStream: async () => [{ streamName: STREAM, type: 'X', data: {}, metadata: { eventId: randomUUID() }, revision: revision++, position: 1n, recordedAt: '' }],
      appendToStream: async (_name: string, _events: readonly NewEvent[], expected: number) => {
        throw new WrongExpectedRevisionError(STREAM, expected, expected + 1);
      },
    });
    const limited = new HashChainedEventStore(racing, { maxAttempts: 3 });
    await expect(limited.appendToStream(STREAM, [event(0)], 'any')).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', expected: 'any' });
    expect(revision).toBe(3);
  });

  it('starts a new chain after an event written without the decorator', async () => {
    await inner.appendToStream(STREAM, [event(0)]);
    await store.appendToStream(STREAM, [event(1)], 0);
    const [, chained] = await inner.readStream(STREAM);
    expect(readIntegrity(chained!.metadata)?.previousHash).toBeNull();
  });

  it('delegates reads, head position and subscriptions to the wrapped store', async () => {
    await store.appendToStream(STREAM, [event(0), event(1)]);
    expect(await store.readStream(STREAM, { direction: 'backwards', maxCount: 1 })).toEqual(await inner.readStream(STREAM, { direction: 'backwards', maxCount: 1 }));
    expect(await store.readAll({ maxCount: 1 })).toEqual(await inner.readAll({ maxCount: 1 }));
    expect(await store.headPosition()).toBe(2n);
    const seen: RecordedEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = store.subscribeToAll({
        onEvent: async (recorded) => {
          seen.push(recorded);
        },
        onCaughtUp: () => void subscription.stop().then(resolve, reject),
        onError: reject,
      });
    });
    expect(seen.map((recorded) => recorded.revision)).toEqual([0, 1]);
  });
});
