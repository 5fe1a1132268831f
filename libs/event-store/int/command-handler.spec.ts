import { randomUUID } from 'node:crypto';
import { handleCommand, readAggregate, WrongExpectedRevisionError } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import type { Decider } from '@leadership/kernel';
import { AmountNotPositive, TallyClosed, added, closed, tallyDecider, type TallyCommand, type TallyEvent, type TallyState } from '@leadership/kernel/testing';

/*
 * Against a real store (SQLite in memory), never a mock: the handler's whole job is the
 * interplay of read, fold, decide and a conditional append.
 */
describe('handleCommand', () => {
  let store: SqliteEventStore;
  let stream: string;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
    stream = `tally-${randomUUID()}`;
  });
  afterEach(() => store.close());

  async function seed(...events: TallyEvent[]): Promise<void> {
    await store.appendToStream(
      stream,
      events.map((event) => ({ ...event, metadata: { eventId: randomUUID() } })),
      'no_stream',
    );
  }

  it('appends the decided events to a new stream and returns them with the new state and revision', async () => {
    const result = await handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 5 });

    expect(result).toMatchObject({ newEvents: [added(5)], newState: { status: 'open', total: 5 }, nextExpectedRevision: 0, attempts: 1 });
    const stored = await store.readStream(stream);
    expect(stored.map(({ type, data }) => ({ type, data }))).toEqual([added(5)]);
    expect(result.position).toBe(stored[0]!.position);
  });

  it('decides on the state folded from the stored events', async () => {
    await seed(added(2), added(3));

    const result = await handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 1 });

    expect(result.newState).toEqual({ status: 'open', total: 6 });
    expect(result.nextExpectedRevision).toBe(2);
  });

  it('appends nothing when the decider decides nothing', async () => {
    await seed(added(2), closed());
    const head = await store.headPosition();

    const result = await handleCommand(store, stream, tallyDecider, { type: 'Close' });

    expect(result).toEqual({ newEvents: [], newState: { status: 'closed', total: 2 }, nextExpectedRevision: 1, position: undefined, attempts: 1 });
    expect(await store.headPosition()).toBe(head);
  });

  it("reports 'no_stream' for a no-op on a stream that does not exist", async () => {
    const noOp: Decider<TallyCommand, TallyEvent, TallyState> = { ...tallyDecider, decide: () => [] };
    await expect(handleCommand(store, stream, noOp, { type: 'Close' })).resolves.toMatchObject({ nextExpectedRevision: 'no_stream', newEvents: [] });
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('lets a domain rule error through and appends nothing', async () => {
    await expect(handleCommand(store, stream, tallyDecider, { type: 'Add', amount: -1 })).rejects.toBeInstanceOf(AmountNotPositive);
    expect(await store.readStream(stream)).toEqual([]);
    await seed(closed());
    await expect(handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 1 })).rejects.toBeInstanceOf(TallyClosed);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it("reports a caller's stale expected revision without deciding or retrying", async () => {
    await seed(added(1), added(1));
    let decided = 0;
    const counting: Decider<TallyCommand, TallyEvent, TallyState> = { ...tallyDecider, decide: (c, s) => (decided++, tallyDecider.decide(c, s)) };

    const refused = handleCommand(store, stream, counting, { type: 'Add', amount: 1 }, { expectedRevision: 0 });
    await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(refused).rejects.toMatchObject({ expected: 0, actual: 1 });
    expect(decided).toBe(0);
    await expect(handleCommand(store, stream, counting, { type: 'Add', amount: 1 }, { expectedRevision: 1 })).resolves.toMatchObject({ nextExpectedRevision: 2 });
  });

  /** A decider that, on its first `racing` decisions, lets another writer append to the stream first. */
  function racedDecider(racing: number): { decider: Decider<TallyCommand, TallyEvent, TallyState>; decisions: () => number } {
    let decisions = 0;
    return {
      decisions: () => decisions,
      decider: {
        ...tallyDecider,
        decide(command, state) {
          decisions++;
          if (decisions <= racing) {
            // Synchronous on purpose: the competing write lands between our read and our append.
            void store.appendToStream(stream, [{ ...added(100), metadata: { eventId: randomUUID() } }]);
          }
          return tallyDecider.decide(command, state);
        },
      },
    };
  }

  it('reloads, decides again and appends when another writer got in first', async () => {
    await seed(added(1));
    const { decider, decisions } = racedDecider(1);

    const result = await handleCommand(store, stream, decider, { type: 'Add', amount: 2 });

    expect(decisions()).toBe(2);
    expect(result).toMatchObject({ attempts: 2, newState: { total: 103 }, nextExpectedRevision: 2 });
    expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ amount: 1 }, { amount: 100 }, { amount: 2 }]);
  });

  it('gives up after the allowed retries and reports the conflict', async () => {
    await seed(added(1));
    const { decider, decisions } = racedDecider(Number.POSITIVE_INFINITY);

    await expect(handleCommand(store, stream, decider, { type: 'Add', amount: 2 }, { retries: 2 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(decisions()).toBe(3);
    expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ amount: 1 }, { amount: 100 }, { amount: 100 }, { amount: 100 }]);
  });

  it('stamps each new event with the metadata factory', async () => {
    const correlationId = randomUUID();
    const ids = [randomUUID(), randomUUID()];
    const twice: Decider<TallyCommand, TallyEvent, TallyState> = { ...tallyDecider, decide: () => [added(1), added(2)] };

    await handleCommand(store, stream, twice, { type: 'Add', amount: 1 }, { metadata: (event, index) => ({ eventId: ids[index]!, correlationId, actor: `${event.type}#${index}` }) });

    expect((await store.readStream(stream)).map((event) => event.metadata)).toEqual([
      { eventId: ids[0], correlationId, actor: 'Added#0' },
      { eventId: ids[1], correlationId, actor: 'Added#1' },
    ]);
  });

  it('upcasts stored events with upcast before folding', async () => {
    await store.appendToStream(stream, [{ type: 'AddedV0', data: { value: 7 }, metadata: { eventId: randomUUID() } }]);

    const result = await handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 1 }, {
      upcast: (event) => (event.type === 'AddedV0' ? added((event.data as { value: number }).value) : (event as unknown as TallyEvent)),
    });

    expect(result.newState.total).toBe(8);
  });

  it('draws a random event id for metadata without one (no idempotency key)', async () => {
    await handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 1 }, { metadata: () => ({ actor: 'ana' }) });
    await handleCommand(store, stream, tallyDecider, { type: 'Add', amount: 1 }, { metadata: () => ({ actor: 'ana' }) });

    const ids = (await store.readStream(stream)).map((event) => event.metadata.eventId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readAggregate', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
  });
  afterEach(() => store.close());

  it('folds the stream through the upcaster and reports the revision and the stored events', async () => {
    const stream = `tally-${randomUUID()}`;
    await store.appendToStream(stream, [
      { type: 'AddedV0', data: { value: 2 }, metadata: { eventId: randomUUID() } },
      { type: 'Added', data: { amount: 3 }, metadata: { eventId: randomUUID() } },
    ]);
    const reader = { ...tallyDecider, upcast: (event: { type: string; data: unknown }): TallyEvent => (event.type === 'AddedV0' ? added((event.data as { value: number }).value) : (event as TallyEvent)) };

    const loaded = await readAggregate(store, reader, stream);

    expect(loaded.state).toEqual({ status: 'open', total: 5 });
    expect(loaded.revision).toBe(1);
    expect(loaded.events.map((e) => e.type)).toEqual(['AddedV0', 'Added']);
  });

  it('gives the initial state and revision -1 for a stream that does not exist', async () => {
    const loaded = await readAggregate(store, tallyDecider, `tally-${randomUUID()}`);
    expect(loaded).toEqual({ state: tallyDecider.initialState(), revision: -1, events: [] });
  });
});
