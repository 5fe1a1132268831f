import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ReadOnlyEventStoreError, type EventStore } from '@leadership/event-store';
import { openEventStore, openReadOnlyEventStore } from './open-event-store';

describe('openEventStore', () => {
  it('opens the SQLite file of the configuration, creating its folder, and a read-only view of it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'open-store-')), 'nested/dir/events.sqlite');
    const store = openEventStore({ kind: 'sqlite', file });
    await store.appendToStream('thing-1', [{ type: 'ThingHappened', data: {}, metadata: { eventId: randomUUID() } }]);
    expect(existsSync(file)).toBe(true);

    const reader = openReadOnlyEventStore({ kind: 'sqlite', file });
    expect((await reader.readStream('thing-1')).map((e) => e.type)).toEqual(['ThingHappened']);
    // The SQLite adapter behind the read-only port refuses writes outright.
    const writer = reader as unknown as EventStore;
    await expect(writer.appendToStream('thing-1', [{ type: 'X', data: {}, metadata: { eventId: randomUUID() } }])).rejects.toThrow(ReadOnlyEventStoreError);
    await reader.close();
    await store.close();
  });
});
