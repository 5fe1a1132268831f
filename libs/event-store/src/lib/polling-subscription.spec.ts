import type { RecordedEvent } from './event-store.port';
import { startPollingSubscription, type PageReader } from './polling-subscription';

/* The polling loop over a plain array standing in for $all: pure timing and ordering logic. */
function log(count: number): RecordedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    streamName: 'log-1',
    type: 'Logged',
    data: { i },
    metadata: { eventId: `id-${i}` },
    revision: i,
    position: BigInt(i + 1),
    recordedAt: '2020-01-01T00:00:00.000Z',
  }));
}

function reader(events: RecordedEvent[]): PageReader & { reads: number } {
  const read = Object.assign(
    (after: bigint | undefined, maxCount: number) => {
      read.reads++;
      return events.filter((event) => after === undefined || event.position > after).slice(0, maxCount);
    },
    { reads: 0 },
  );
  return read;
}

const until = async (check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('startPollingSubscription', () => {
  it('pages through the events after the checkpoint, then reports caught up once', async () => {
    const events = log(7);
    const seen: bigint[] = [];
    let caughtUp = 0;
    const subscription = startPollingSubscription(reader(events), { after: 2n, onEvent: async (e) => void seen.push(e.position), onCaughtUp: () => caughtUp++ }, { pageSize: 2, pollIntervalMs: 5 });
    await until(() => caughtUp === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await subscription.stop();
    expect(seen).toEqual([3n, 4n, 5n, 6n, 7n]);
    expect(caughtUp).toBe(1);
  });

  it('picks up new events on the next poll, or at once when woken', async () => {
    const events = log(1);
    const seen: bigint[] = [];
    const read = reader(events);
    const subscription = startPollingSubscription(read, { onEvent: async (e) => void seen.push(e.position) }, { pageSize: 10, pollIntervalMs: 60_000 });
    await until(() => seen.length === 1);
    events.push(...log(3).slice(1));
    const readsBefore = read.reads;
    subscription.wake();
    await until(() => seen.length === 3);
    expect(read.reads).toBe(readsBefore + 1);
    await subscription.stop();
  });

  it('reports a read failure to onError and resolves done', async () => {
    const errors: Error[] = [];
    const subscription = startPollingSubscription(
      () => {
        throw new Error('disk gone');
      },
      { onEvent: async () => undefined, onError: (error) => errors.push(error) },
      { pageSize: 10, pollIntervalMs: 5 },
    );
    await subscription.done;
    expect(errors.map((e) => e.message)).toEqual(['disk gone']);
  });

  it('stops while waiting without waiting for the poll interval', async () => {
    const subscription = startPollingSubscription(reader([]), { onEvent: async () => undefined }, { pageSize: 10, pollIntervalMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await subscription.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
