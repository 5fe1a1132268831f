import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { eventually, uniqueName } from '@leadership/testing';
import { EventIdConflictError, InvalidEventError, InvalidStreamNameError, WrongExpectedRevisionError, type EventStore, type NewEvent, type RecordedEvent, type Subscription } from '@leadership/event-store';
import { categoryOf } from '@leadership/kernel';
import type { ContractWriterReport, ContractWriterTask, RemoteStoreTarget } from './contract-writer.types';

export type { RemoteStoreTarget } from './contract-writer.types';

/** The backend under test, as the contract suite needs it. */
export interface EventStoreContractTarget {
  /** Opens one more store instance on the backend (a new connection). The suite closes each. */
  open(): Promise<EventStore> | EventStore;
  /** How a writer in another process opens the same backend (for the true-concurrency tests). */
  readonly remote: RemoteStoreTarget;
}

/** Where adapters are allowed to differ; each difference is asserted, not skipped. */
export interface EventStoreContractOptions {
  /**
   * What an append whose event id belongs to an event of *another* stream does:
   * `refused` (EventIdConflictError, SQLite: ids are unique store-wide) or `written` (EventStoreDB
   * sees ids only per stream, so the other stream gets an event with the same id).
   */
  readonly eventIdInOtherStream: 'refused' | 'written';
}

/** The stream names, categories and event types of one test: unique, so suites re-run without cleanup. */
function uniqueCategory(): string {
  // A category has no '-': squeeze the unique name.
  return uniqueName('c').replace(/-/g, '');
}

function uniqueStream(category = 'contract'): string {
  return `${category}-${uniqueName('s')}`;
}

function newEvent(type: string, data: unknown = { at: type }, metadata: Record<string, unknown> = {}): NewEvent {
  return { type, data, metadata: { eventId: randomUUID(), correlationId: 'contract', ...metadata } };
}

function events(count: number, type = 'Counted'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** The item at `index`, failing the test (not the type checker) when it is missing. */
function at<T>(items: readonly T[], index: number): T {
  if (index >= items.length) throw new Error(`expected an item at index ${index}, got ${items.length} items`);
  return items[index] as T;
}

function revisions(recorded: readonly RecordedEvent[]): number[] {
  return recorded.map((event) => event.revision);
}

function eventIds(recorded: readonly { metadata: { eventId: string } }[]): string[] {
  return recorded.map((event) => event.metadata.eventId.toLowerCase());
}

function expectStrictlyIncreasing(positions: readonly bigint[]): void {
  for (let i = 1; i < positions.length; i++) expect(positions[i] as bigint > (positions[i - 1] as bigint)).toBe(true);
}

const workspaceRoot = join(__dirname, '../../..');

/** Runs writer processes, starts them together once all are ready, and returns their reports. */
async function runWriters(tasks: readonly ContractWriterTask[]): Promise<ContractWriterReport[]> {
  const script = join(__dirname, 'contract-writer.process.ts');
  const children = tasks.map((task) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(task)], { cwd: workspaceRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<ContractWriterReport>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => {
        const report = stdout.split('\n').find((line) => line.startsWith('{'));
        if (code !== 0 || !report) reject(new Error(`writer ${task.writer} exited with ${String(code)}: ${stderr}`));
        else resolve(JSON.parse(report) as ContractWriterReport);
      });
    });
    const ready = eventually(() => (stdout.includes('ready\n') ? true : undefined), { timeoutMs: 60_000, intervalMs: 20, what: `writer ${task.writer} ready` });
    return { child, exited, ready };
  });
  try {
    await Promise.all(children.map(({ ready, exited }) => Promise.race([ready, exited])));
  } catch (error) {
    for (const { child } of children) child.kill();
    throw error;
  }
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map(({ exited }) => exited));
}

/**
 * The one contract every EventStore adapter passes. Call it from an adapter's `*.int.spec.ts`
 * with a factory for the backend under test; it registers a `describe` block of tests. Every test
 * writes only to streams, categories and types of its own and reads $all only after the head it
 * saw at its start, so the suite runs against a shared, long-lived store and re-runs without
 * cleanup.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreContractTarget> | EventStoreContractTarget,
  options: EventStoreContractOptions = { eventIdInOtherStream: 'refused' },
): void {
  describe(`${name} event store contract`, () => {
    let target: EventStoreContractTarget;
    let store: EventStore;
    const opened: EventStore[] = [];

    async function openStore(): Promise<EventStore> {
      const instance = await target.open();
      opened.push(instance);
      return instance;
    }

    /** The ids of `ids` that appear anywhere in $all after `head`. */
    async function writtenAfter(head: bigint | undefined, ids: readonly string[]): Promise<string[]> {
      const wanted = new Set(ids.map((id) => id.toLowerCase()));
      return eventIds(await store.readAll({ after: head })).filter((id) => wanted.has(id));
    }

    beforeAll(async () => {
      target = await factory();
      store = await openStore();
    });

    afterAll(async () => {
      await Promise.all(opened.map((instance) => instance.close()));
    });

    describe('append and read a stream', () => {
      it('appends a batch atomically at consecutive revisions and reads it back as written', async () => {
        const stream = uniqueStream();
        const batch = [newEvent('Opened', { owner: 'ada', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } }), newEvent('Renamed', 'plain string'), newEvent('Closed', 42)];
        const before = Date.now();
        const result = await store.appendToStream(stream, batch, 'no_stream');
        const stored = await store.readStream(stream);

        expect(result.nextExpectedRevision).toBe(2);
        expect(stored.map(({ streamName, type, data, metadata, revision }) => ({ streamName, type, data, metadata, revision }))).toEqual(
          batch.map((event, revision) => ({ streamName: stream, type: event.type, data: event.data, metadata: event.metadata, revision })),
        );
        expectStrictlyIncreasing(stored.map((event) => event.position));
        expect(result.position).toBe(at(stored, 2).position);
        for (const event of stored) {
          // Set by the store at commit; allow for clock skew between test host and server.
          expect(Math.abs(Date.parse(event.recordedAt) - before)).toBeLessThan(60_000);
          expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
        }
      });

      it('reads a stream that does not exist as empty', async () => {
        await expect(store.readStream(uniqueStream())).resolves.toEqual([]);
        await expect(store.readStream(uniqueStream(), { direction: 'backwards' })).resolves.toEqual([]);
      });

      it('reads forwards and backwards from a revision, up to a count', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(10), 'no_stream');

        expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(revisions(await store.readStream(stream, { fromRevision: 3, maxCount: 4 }))).toEqual([3, 4, 5, 6]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 5, maxCount: 3 }))).toEqual([5, 4, 3]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([9, 8]);
        expect(revisions(await store.readStream(stream, { maxCount: 0 }))).toEqual([]);
        expect(revisions(await store.readStream(stream, { fromRevision: 10 }))).toEqual([]);
      });

      it('keeps 10,000 events of one stream in order', async () => {
        const stream = uniqueStream(uniqueCategory());
        const head = await store.headPosition();
        const total = 10_000;
        const batchSize = 500;
        for (let from = 0; from < total; from += batchSize) {
          const batch = Array.from({ length: batchSize }, (_, i) => newEvent('Numbered', { n: from + i }));
          const result = await store.appendToStream(stream, batch, from === 0 ? 'no_stream' : from - 1);
          expect(result.nextExpectedRevision).toBe(from + batchSize - 1);
        }

        const forwards = await store.readStream(stream);
        expect(forwards).toHaveLength(total);
        expect(forwards.every((event, i) => event.revision === i && (event.data as { n: number }).n === i)).toBe(true);
        expectStrictlyIncreasing(forwards.map((event) => event.position));
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 3 }))).toEqual([9999, 9998, 9997]);
        const all = await store.readAll({ after: head, filter: { streamCategories: [categoryOf(stream)] } });
        expect(all.map((event) => event.position)).toEqual(forwards.map((event) => event.position));
      });
    });

    describe('expected revision', () => {
      it("'no_stream' accepts a new stream and refuses an existing one", async () => {
        const stream = uniqueStream();
        await expect(store.appendToStream(stream, [newEvent('First')], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0 });

        const refused = store.appendToStream(stream, [newEvent('Second')], 'no_stream');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(refused).rejects.toMatchObject({ streamName: stream, expected: 'no_stream', actual: 0 });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("'stream_exists' refuses a new stream and accepts an existing one", async () => {
        const stream = uniqueStream();
        const refused = store.appendToStream(stream, [newEvent('First')], 'stream_exists');
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(refused).rejects.toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(stream)).toEqual([]);

        await store.appendToStream(stream, [newEvent('First')], 'no_stream');
        await expect(store.appendToStream(stream, [newEvent('Second')], 'stream_exists')).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('a revision number is accepted only when it is the revision of the last event', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, events(2), 'no_stream');

        for (const stale of [0, 5]) {
          const refused = store.appendToStream(stream, [newEvent('Late')], stale);
          await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
          await expect(refused).rejects.toMatchObject({ expected: stale, actual: 1 });
        }
        await expect(store.appendToStream(uniqueStream(), [newEvent('Nope')], 0)).rejects.toMatchObject({ expected: 0, actual: 'no_stream' });
        await expect(store.appendToStream(stream, events(2), 1)).resolves.toMatchObject({ nextExpectedRevision: 3 });
        expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2, 3]);
      });

      it("'any' (the default) appends whatever the stream's state", async () => {
        const stream = uniqueStream();
        await expect(store.appendToStream(stream, [newEvent('One')], 'any')).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expect(store.appendToStream(stream, [newEvent('Two')])).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('refuses an expected revision that is not a revision', async () => {
        const stream = uniqueStream();
        await expect(store.appendToStream(stream, [newEvent('One')], -1)).rejects.toThrow(RangeError);
        await expect(store.appendToStream(stream, [newEvent('One')], 1.5)).rejects.toThrow(RangeError);
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('concurrency', () => {
      it('two writers at the same expected revision: exactly one wins, the other gets WrongExpectedRevisionError', async () => {
        const stream = uniqueStream();
        const [a, b] = [await openStore(), await openStore()];
        await a.appendToStream(stream, [newEvent('Created')], 'no_stream');

        const outcomes = await Promise.allSettled([a.appendToStream(stream, [newEvent('FromA')], 0), b.appendToStream(stream, [newEvent('FromB')], 0)]);

        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(at(rejected, 0).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(revisions(await store.readStream(stream))).toEqual([0, 1]);
      });

      it('two processes racing for the same revision: exactly one wins', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [newEvent('Created')], 'no_stream');

        const reports = await runWriters(
          ['left', 'right'].map((writer) => ({ kind: 'race', target: target.remote, writer, streamName: stream, expectedRevision: 0 }) as const),
        );

        expect(reports.map((r) => r.appendedEventIds.length).sort()).toEqual([0, 1]);
        expect(reports.map((r) => r.conflicts).sort()).toEqual([0, 1]);
        const stored = await store.readStream(stream);
        expect(revisions(stored)).toEqual([0, 1]);
        expect(eventIds([at(stored, 1)])).toEqual(reports.flatMap((r) => r.appendedEventIds));
      });

      it('many writers in several processes lose no event, duplicate none and keep revisions contiguous; a subscriber sees them all in order', async () => {
        const category = uniqueCategory();
        const optimisticStream = `${category}-optimistic`;
        const anyStream = `${category}-any`;
        const writers = 4;
        const count = 25;
        const head = await store.headPosition();
        const seen: RecordedEvent[] = [];
        const subscriber = await openStore();
        const subscription = subscriber.subscribeToAll({ after: head, filter: { streamCategories: [category] }, onEvent: async (event) => void seen.push(event) });
        try {
          const reports = await runWriters(
            Array.from({ length: writers }, (_, w) => ({ kind: 'append-many', target: target.remote, writer: `w${w}`, optimisticStream, anyStream, count }) as const),
          );

          const written = reports.flatMap((r) => r.appendedEventIds);
          expect(written).toHaveLength(writers * count * 2);
          for (const stream of [optimisticStream, anyStream]) {
            const stored = await store.readStream(stream);
            expect(revisions(stored)).toEqual(Array.from({ length: writers * count }, (_, i) => i));
            expect(new Set(eventIds(stored)).size).toBe(writers * count);
          }
          const all = await store.readAll({ after: head, filter: { streamCategories: [category] } });
          expect(eventIds(all).sort()).toEqual([...written].sort());
          expectStrictlyIncreasing(all.map((event) => event.position));

          await eventually(() => (seen.length >= all.length ? true : undefined), { what: 'subscriber to see every event' });
          expect(eventIds(seen)).toEqual(eventIds(all));
        } finally {
          await subscription.stop();
        }
      });
    });

    describe('idempotent append', () => {
      it('a retried batch is not written twice and returns the original result, whatever revision the retry expects', async () => {
        const stream = uniqueStream();
        const batch = events(2, 'Retried');
        const original = await store.appendToStream(stream, batch, 'no_stream');

        await expect(store.appendToStream(stream, batch, 'no_stream')).resolves.toEqual(original);
        await store.appendToStream(stream, [newEvent('Later')], 1);
        await expect(store.appendToStream(stream, batch, 0)).resolves.toEqual(original);
        await expect(store.appendToStream(stream, batch, 'any')).resolves.toEqual(original);
        await expect(store.appendToStream(stream, [at(batch, 1)], 'any')).resolves.toEqual(original);

        expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2]);
      });

      it('compares event ids case-insensitively', async () => {
        const stream = uniqueStream();
        const event = newEvent('Once');
        const original = await store.appendToStream(stream, [event]);
        const shouted = { ...event, metadata: { ...event.metadata, eventId: event.metadata.eventId.toUpperCase() } };
        await expect(store.appendToStream(stream, [shouted])).resolves.toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses a batch that is only partly stored, writing nothing', async () => {
        const stream = uniqueStream();
        const stored = newEvent('Stored');
        await store.appendToStream(stream, [stored], 'no_stream');
        const fresh = newEvent('Fresh');

        const refused = store.appendToStream(stream, [stored, fresh]);
        await expect(refused).rejects.toBeInstanceOf(EventIdConflictError);
        await expect(refused).rejects.toMatchObject({ conflict: 'partially_stored', eventIds: [stored.metadata.eventId] });
        expect(eventIds(await store.readStream(stream))).toEqual([stored.metadata.eventId]);
      });

      if (options.eventIdInOtherStream === 'refused') {
        it('refuses an event id that belongs to another stream, writing nothing', async () => {
          const [first, second] = [uniqueStream(), uniqueStream()];
          const event = newEvent('Elsewhere');
          await store.appendToStream(first, [event]);

          const refused = store.appendToStream(second, [newEvent('Fine'), event]);
          await expect(refused).rejects.toBeInstanceOf(EventIdConflictError);
          await expect(refused).rejects.toMatchObject({ conflict: 'stored_in_other_stream', eventIds: [event.metadata.eventId] });
          expect(await store.readStream(second)).toEqual([]);
        });
      } else {
        it('writes an event id that belongs to another stream to this stream too (ids are per stream)', async () => {
          const [first, second] = [uniqueStream(), uniqueStream()];
          const event = newEvent('Elsewhere');
          await store.appendToStream(first, [event]);

          await store.appendToStream(second, [event]);
          expect(eventIds(await store.readStream(second))).toEqual([event.metadata.eventId]);
          expect(eventIds(await store.readStream(first))).toEqual([event.metadata.eventId]);
        });
      }
    });

    describe('bad input is refused with typed errors and nothing is written', () => {
      it('refuses empty, blank and engine-reserved stream names', async () => {
        const head = await store.headPosition();
        const attempted: NewEvent[] = [];
        for (const bad of ['', '   ', '\t\n', '$system-1']) {
          const event = newEvent('Named');
          attempted.push(event);
          await expect(store.appendToStream(bad, [event])).rejects.toBeInstanceOf(InvalidStreamNameError);
          await expect(store.readStream(bad)).rejects.toBeInstanceOf(InvalidStreamNameError);
        }
        expect(await writtenAfter(head, eventIds(attempted))).toEqual([]);
      });

      it('refuses events without a type or eventId, with a non-UUID eventId, an engine type, or a repeated id', async () => {
        const stream = uniqueStream();
        const valid = newEvent('Valid');
        const bad: unknown[] = [
          { data: {}, metadata: { eventId: randomUUID() } },
          { type: '  ', data: {}, metadata: { eventId: randomUUID() } },
          { type: '$stats', data: {}, metadata: { eventId: randomUUID() } },
          { type: 'NoMetadata', data: {} },
          { type: 'NoEventId', data: {}, metadata: {} },
          { type: 'NotUuid', data: {}, metadata: { eventId: 'order-1' } },
          valid,
          null,
        ];
        for (const event of bad) {
          // The valid event goes first: a batch is refused whole.
          await expect(store.appendToStream(stream, [valid, event as NewEvent])).rejects.toBeInstanceOf(InvalidEventError);
        }
        await expect(store.appendToStream(stream, [])).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('refuses data and metadata that are not plain JSON', async () => {
        const stream = uniqueStream();
        const cycle: Record<string, unknown> = { name: 'loop' };
        cycle['self'] = cycle;
        class Money {
          constructor(readonly cents: number) {}
        }
        const badData: unknown[] = [
          () => 1,
          undefined,
          { missing: undefined },
          [1, undefined],
          { amount: 10n },
          cycle,
          { ratio: Number.NaN },
          { big: Number.POSITIVE_INFINITY },
          { at: new Date() },
          new Map([['a', 1]]),
          new Money(5),
          { deep: { deeper: [{ fn: () => 1 }] } },
          Symbol('s'),
        ];
        for (const data of badData) {
          // Built by hand: newEvent's default would replace an undefined `data`.
          const bad: NewEvent = { type: 'Bad', data, metadata: { eventId: randomUUID() } };
          await expect(store.appendToStream(stream, [newEvent('Fine'), bad])).rejects.toBeInstanceOf(InvalidEventError);
        }
        await expect(store.appendToStream(stream, [newEvent('BadMetadata', {}, { traceparent: () => 'x' })])).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.appendToStream(stream, [newEvent('BadMetadata', {}, { when: new Date() })])).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toEqual([]);

        // The same object twice side by side is not a cycle.
        const shared = { x: 1 };
        await expect(store.appendToStream(stream, [newEvent('Shared', { a: shared, b: shared })])).resolves.toMatchObject({ nextExpectedRevision: 0 });
      });

      it('refuses read options that cannot be honoured', async () => {
        const stream = uniqueStream();
        await expect(store.readStream(stream, { maxCount: -1 })).rejects.toThrow(RangeError);
        await expect(store.readStream(stream, { fromRevision: 0.5 })).rejects.toThrow(RangeError);
        await expect(store.readAll({ maxCount: -1 })).rejects.toThrow(RangeError);
        await expect(store.readAll({ after: -1n })).rejects.toThrow(RangeError);
        await expect(store.readAll({ filter: { streamCategories: [] } })).rejects.toThrow(RangeError);
        await expect(store.readAll({ filter: { eventTypes: [] } })).rejects.toThrow(RangeError);
        expect(() => store.subscribeToAll({ filter: { eventTypes: [] }, onEvent: async () => undefined })).toThrow(RangeError);
      });
    });

    describe('$all', () => {
      it('reads in position order strictly after a position, up to a count', async () => {
        const category = uniqueCategory();
        const head = await store.headPosition();
        const [one, two, three] = [`${category}-1`, `${category}-2`, `${category}-3`];
        const appended: string[] = [];
        for (const stream of [one, two, one, three, two, one]) {
          const event = newEvent('Interleaved');
          appended.push(event.metadata.eventId);
          await store.appendToStream(stream, [event]);
        }

        const ours = await store.readAll({ after: head, filter: { streamCategories: [category] } });
        expect(eventIds(ours)).toEqual(appended);
        expect(ours.map((event) => event.streamName)).toEqual([one, two, one, three, two, one]);
        expectStrictlyIncreasing(ours.map((event) => event.position));
        // Unfiltered: ours are there, in the same order, among whatever else was written.
        expect(await writtenAfter(head, appended)).toEqual(appended);

        const page = await store.readAll({ after: at(ours, 1).position, maxCount: 2, filter: { streamCategories: [category] } });
        expect(eventIds(page)).toEqual(appended.slice(2, 4));
        const unfilteredPage = await store.readAll({ after: at(ours, 4).position, maxCount: 1 });
        expect(eventIds(unfilteredPage)).toHaveLength(1);
        expect(at(unfilteredPage, 0).position > at(ours, 4).position).toBe(true);
        await expect(store.readAll({ after: at(ours, 5).position, filter: { streamCategories: [category] } })).resolves.toEqual([]);
        await expect(store.readAll({ after: head, maxCount: 0 })).resolves.toEqual([]);
      });

      it('filters by stream category, by event type, and by both', async () => {
        const [a, b, c] = [uniqueCategory(), uniqueCategory(), uniqueCategory()];
        const suffix = uniqueCategory();
        const [x, y] = [`X${suffix}`, `Y${suffix}`];
        const head = await store.headPosition();
        const plan: [string, string][] = [
          [`${a}-1`, x],
          [`${b}-1`, y],
          [`${c}-1`, x],
          [`${a}-2`, y],
          // Category is the part before the first '-': a stream named just `a` is in it…
          [a, x],
          // …and one that merely starts with the same letters is not.
          [`${a}z-1`, x],
          [`${b}-2`, x],
        ];
        const appended: RecordedEvent[] = [];
        for (const [stream, type] of plan) {
          await store.appendToStream(stream, [newEvent(type)]);
          appended.push(at(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }), 0));
        }
        const expected = (keep: (event: RecordedEvent) => boolean): string[] => eventIds(appended.filter(keep));
        const category = (event: RecordedEvent): string => categoryOf(event.streamName);

        expect(eventIds(await store.readAll({ after: head, filter: { streamCategories: [a] } }))).toEqual(expected((e) => category(e) === a));
        expect(eventIds(await store.readAll({ after: head, filter: { streamCategories: [a, b] } }))).toEqual(expected((e) => [a, b].includes(category(e))));
        expect(eventIds(await store.readAll({ after: head, filter: { eventTypes: [x] } }))).toEqual(expected((e) => e.type === x));
        expect(eventIds(await store.readAll({ after: head, filter: { eventTypes: [x, y] } }))).toEqual(eventIds(appended));
        expect(eventIds(await store.readAll({ after: head, filter: { streamCategories: [a, b], eventTypes: [x] } }))).toEqual(
          expected((e) => [a, b].includes(category(e)) && e.type === x),
        );
      });

      it('headPosition is at or after the last appended event', async () => {
        const result = await store.appendToStream(uniqueStream(), [newEvent('Head')]);
        const head = await store.headPosition();
        expect(head !== undefined && head >= result.position).toBe(true);
      });
    });

    describe('catch-up subscription', () => {
      async function subscribe(
        instance: EventStore,
        after: bigint | undefined,
        category: string,
        onEvent: (event: RecordedEvent) => Promise<void>,
      ): Promise<{ subscription: Subscription; caughtUp: () => boolean; errors: Error[] }> {
        let caughtUp = false;
        const errors: Error[] = [];
        const subscription = instance.subscribeToAll({
          after,
          filter: { streamCategories: [category] },
          onEvent,
          onCaughtUp: () => {
            caughtUp = true;
          },
          onError: (error) => errors.push(error),
        });
        return { subscription, caughtUp: () => caughtUp, errors };
      }

      it('delivers the existing events, reports caught up, then delivers new ones from another connection', async () => {
        const category = uniqueCategory();
        const head = await store.headPosition();
        await store.appendToStream(`${category}-1`, events(3, 'Before'));
        const seen: RecordedEvent[] = [];
        const { subscription, caughtUp, errors } = await subscribe(store, head, category, async (event) => void seen.push(event));
        try {
          await eventually(() => (caughtUp() ? true : undefined), { what: 'caught up' });
          expect(seen.map((event) => event.type)).toEqual(['Before', 'Before', 'Before']);

          const writer = await openStore();
          await writer.appendToStream(`${category}-2`, events(2, 'After'));
          await eventually(() => (seen.length === 5 ? true : undefined), { what: 'the new events' });
          expect(seen.map((event) => event.type)).toEqual(['Before', 'Before', 'Before', 'After', 'After']);
          expectStrictlyIncreasing(seen.map((event) => event.position));
          expect(errors).toEqual([]);
        } finally {
          await subscription.stop();
        }
      });

      it('resumes from a checkpoint with no gap and no duplicate', async () => {
        const category = uniqueCategory();
        const head = await store.headPosition();
        await store.appendToStream(`${category}-1`, events(5, 'First'));
        const seen: RecordedEvent[] = [];
        let checkpoint: bigint | undefined = head;
        const first = await subscribe(store, head, category, async (event) => {
          seen.push(event);
          checkpoint = event.position;
        });
        await eventually(() => (seen.length >= 3 ? true : undefined), { what: 'three events' });
        await first.subscription.stop();
        const deliveredBeforeStop = seen.length;

        await store.appendToStream(`${category}-2`, events(3, 'Second'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Nothing arrives after stop() resolved.
        expect(seen).toHaveLength(deliveredBeforeStop);

        const second = await subscribe(store, checkpoint, category, async (event) => void seen.push(event));
        try {
          await eventually(() => (seen.length >= 8 && second.caughtUp() ? true : undefined), { what: 'the rest' });
          const all = await store.readAll({ after: head, filter: { streamCategories: [category] } });
          expect(eventIds(seen)).toEqual(eventIds(all));
          expect(all).toHaveLength(8);
        } finally {
          await second.subscription.stop();
        }
      });

      it('delivers one event at a time and stop() waits for the handler in flight', async () => {
        const category = uniqueCategory();
        const head = await store.headPosition();
        await store.appendToStream(`${category}-1`, events(3));
        let active = 0;
        let maxActive = 0;
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let started = 0;
        let finished = 0;
        const { subscription } = await subscribe(store, head, category, async () => {
          started++;
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((resolve) => setTimeout(resolve, 10));
          if (started === 2) await gate;
          active--;
          finished++;
        });
        await eventually(() => (started === 2 ? true : undefined), { what: 'second handler to start' });
        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(stopped).toBe(false);

        release();
        await stopping;
        expect(finished).toBe(2);
        expect(started).toBe(2);
        expect(maxActive).toBe(1);
      });

      it('a failing handler ends the subscription and reports the error', async () => {
        const category = uniqueCategory();
        const head = await store.headPosition();
        await store.appendToStream(`${category}-1`, events(3));
        const handled: number[] = [];
        const failure = new Error('projection broke');
        const { subscription, errors } = await subscribe(store, head, category, async (event) => {
          handled.push(event.revision);
          if (event.revision === 1) throw failure;
        });
        await subscription.done;
        expect(errors).toEqual([failure]);
        expect(handled).toEqual([0, 1]);
      });
    });
  });
}
