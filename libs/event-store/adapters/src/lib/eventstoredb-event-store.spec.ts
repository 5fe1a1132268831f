import { randomUUID } from 'node:crypto';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { InvalidEventError, InvalidStreamNameError } from '@leadership/event-store';

/*
 * Without a server (none runs here; the contract suite covers the rest where one does): the
 * adapter must refuse bad input itself, before any network call. The port below has nothing
 * listening, so a call that reached the network would fail differently (UnavailableError).
 */
describe('EventStoreDbEventStore input checks', () => {
  const store = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false');
  afterAll(() => store.close());
  const valid = () => ({ type: 'Happened', data: {}, metadata: { eventId: randomUUID() } });

  it('refuses bad stream names', async () => {
    await expect(store.appendToStream(' ', [valid()])).rejects.toBeInstanceOf(InvalidStreamNameError);
    await expect(store.readStream('$all')).rejects.toBeInstanceOf(InvalidStreamNameError);
  });

  it('refuses bad events and expected revisions', async () => {
    await expect(store.appendToStream('ok-1', [])).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.appendToStream('ok-1', [{ ...valid(), data: { n: 1n } }])).rejects.toBeInstanceOf(InvalidEventError);
    await expect(store.appendToStream('ok-1', [valid()], -2)).rejects.toThrow(RangeError);
  });

  it('refuses bad read options', async () => {
    await expect(store.readAll({ filter: { streamCategories: [] } })).rejects.toThrow(RangeError);
    await expect(store.readStream('ok-1', { maxCount: -1 })).rejects.toThrow(RangeError);
    expect(() => store.subscribeToAll({ after: -1n, onEvent: async () => undefined })).toThrow(RangeError);
  });
});
