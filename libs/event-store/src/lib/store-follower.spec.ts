import type { ReadAllOptions, RecordedEvent } from './event-store.port';
import { StoreFollower } from './store-follower';

/** A log of recorded events with `readAll` as the adapters answer it, whose reads can be held. */
function log() {
  const events: RecordedEvent[] = [];
  let gate: Promise<void> | undefined;
  let open: () => void = () => undefined;
  let reads = 0;
  return {
    append(streamName: string): void {
      const position = BigInt(events.length + 1);
      events.push({ streamName, type: 'Happened', data: {}, metadata: { eventId: `e${position}` }, revision: 0, position, recordedAt: new Date(0).toISOString() });
    },
    async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
      reads++;
      const categories = options.filter?.streamCategories;
      const page = events
        .filter((e) => (options.after === undefined || e.position > options.after) && (!categories || categories.some((c) => e.streamName.startsWith(`${c}-`))))
        .slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
      await gate;
      return page;
    },
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => {
      gate = undefined;
      open();
    },
    reads: () => reads,
  };
}

describe('StoreFollower (in-memory state level with the local event store)', () => {
  it('applies each event of its categories once, in order, page by page', async () => {
    const store = log();
    for (const stream of ['case-1', 'agent-1', 'case-2', 'queue-1', 'case-3']) store.append(stream);
    const applied: string[] = [];
    const follower = new StoreFollower(store, ['case', 'queue'], (e) => void applied.push(e.streamName), 2);
    await follower.catchUp();
    await follower.catchUp();
    expect(applied).toEqual(['case-1', 'case-2', 'queue-1', 'case-3']);
    expect(follower.position).toBe(5n);
  });

  it('a catch-up asked for while a read runs reads again after it: that read may predate the caller’s commit', async () => {
    const store = log();
    store.append('case-1');
    const applied: string[] = [];
    const follower = new StoreFollower(store, ['case'], (e) => void applied.push(e.streamName));
    await follower.catchUp();
    store.hold();
    const first = follower.catchUp();
    // Committed while the first read is held: callers from now on must see it.
    store.append('case-2');
    const second = follower.catchUp();
    const third = follower.catchUp();
    store.release();
    await Promise.all([first, second, third]);
    expect(applied).toEqual(['case-1', 'case-2']);
    // The warm-up, the held read, and one follow-up shared by the second and third caller.
    expect(store.reads()).toBe(3);
  });

  it('a failed apply rejects its callers and is tried again by the next catch-up (nothing is skipped)', async () => {
    const store = log();
    store.append('case-1');
    store.append('case-2');
    const applied: string[] = [];
    let failOnce = true;
    const follower = new StoreFollower(store, ['case'], (e) => {
      if (e.streamName === 'case-2' && failOnce) {
        failOnce = false;
        throw new Error('store read failed');
      }
      applied.push(e.streamName);
    });
    await expect(follower.catchUp()).rejects.toThrow('store read failed');
    expect(follower.position).toBe(1n);
    await follower.catchUp();
    expect(applied).toEqual(['case-1', 'case-2']);
  });
});
