import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@leadership/event-store';
import { added, closed, tallyDecider, type TallyEvent } from '@leadership/kernel/testing';
import { openTestEventStore } from '@leadership/testing';
import { AggregateStateTracker, trackAs } from './aggregate-state.tracker';

/* Against a real (in-memory SQLite) store: the tracker's job is to agree with the stream. */
describe('AggregateStateTracker', () => {
  let store: EventStore;
  let reads: number;
  beforeEach(() => {
    const inner = openTestEventStore();
    reads = 0;
    store = new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'readStream') {
          return (...args: Parameters<EventStore['readStream']>) => {
            reads++;
            return target.readStream(...args);
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  });
  afterEach(() => store.close());

  async function append(stream: string, ...events: TallyEvent[]): Promise<RecordedEvent[]> {
    await store.appendToStream(stream, events.map((e) => ({ ...e, metadata: { eventId: randomUUID() } })));
    return store.readStream(stream);
  }

  it('gives the state right after each event, folding from the cache while it follows the stream', async () => {
    const stream = `tally-${randomUUID()}`;
    const [first, second, third] = await append(stream, added(1), added(2), closed());
    const tracker = new AggregateStateTracker(store, { tally: trackAs('tally', tallyDecider) });
    reads = 0;

    expect(await tracker.stateAfter(first!)).toEqual({ kind: 'tally', state: { status: 'open', total: 1 } });
    expect(await tracker.stateAfter(second!)).toEqual({ kind: 'tally', state: { status: 'open', total: 3 } });
    expect(await tracker.stateAfter(third!)).toEqual({ kind: 'tally', state: { status: 'closed', total: 3 } });
    // Only the first event needed a read; the others evolved the cached state.
    expect(reads).toBe(1);
  });

  it('reads the stream up to the event when it starts in the middle (after a restart) and on redelivery keeps the state', async () => {
    const stream = `tally-${randomUUID()}`;
    const [, second] = await append(stream, added(5), added(7), added(9));
    const tracker = new AggregateStateTracker(store, { tally: trackAs('tally', tallyDecider) });

    expect(await tracker.stateAfter(second!)).toEqual({ kind: 'tally', state: { status: 'open', total: 12 } });
    expect(await tracker.stateAfter(second!)).toEqual({ kind: 'tally', state: { status: 'open', total: 12 } });
  });

  it('upcasts stored events through the reader and ignores other categories', async () => {
    const stream = `tally-${randomUUID()}`;
    await store.appendToStream(stream, [{ type: 'AddedV0', data: { value: 4 }, metadata: { eventId: randomUUID() } }]);
    const [old] = await store.readStream(stream);
    const reader = { ...tallyDecider, upcast: (e: RecordedEvent): TallyEvent => (e.type === 'AddedV0' ? added((e.data as { value: number }).value) : (e as unknown as TallyEvent)) };
    const tracker = new AggregateStateTracker(store, { tally: trackAs('tally', reader) });

    expect(await tracker.stateAfter(old!)).toEqual({ kind: 'tally', state: { status: 'open', total: 4 } });
    const [other] = await append(`other-${randomUUID()}`, added(1));
    expect(await tracker.stateAfter(other!)).toBeUndefined();
  });

  it('evicts the least recently used stream beyond its bound and still answers correctly', async () => {
    const streams = [`tally-${randomUUID()}`, `tally-${randomUUID()}`, `tally-${randomUUID()}`];
    const tracker = new AggregateStateTracker(store, { tally: trackAs('tally', tallyDecider) }, 2);
    const firsts = [];
    for (const s of streams) firsts.push((await append(s, added(1), added(1)))[0]!);
    for (const e of firsts) await tracker.stateAfter(e);
    const [, secondOfFirst] = await store.readStream(streams[0]!);
    reads = 0;
    expect(await tracker.stateAfter(secondOfFirst!)).toEqual({ kind: 'tally', state: { status: 'open', total: 2 } });
    expect(reads).toBe(1);
  });
});
