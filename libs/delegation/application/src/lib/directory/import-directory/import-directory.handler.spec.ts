import type { EventStore } from '@leadership/event-store';
import { personStreamName, unitStreamName } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { countingReads, DELEGATE, eventsIn, givenDirectory, now } from '../../../spec/delegation-world.fixture';
import { ImportDirectoryHandler } from './import-directory.handler';

describe('ImportDirectoryHandler', () => {
  let store: EventStore;
  let handler: ImportDirectoryHandler;
  const hr = { actorId: 'hr' };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ImportDirectoryHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('applies the accepted rows, reports every row and its progress', async () => {
    const progress: [number, number][] = [];
    const report = await handler.execute(
      {
        batch: {
          units: [{ id: 'motor', name: 'Motor', parentId: 'claims', managerIds: [] }, { id: 'orphan', name: 'Orphan', parentId: 'nowhere', managerIds: [] }],
          people: [
            { id: 'n1', displayName: 'N', email: 'n1@example.test', locale: 'en', unitIds: ['motor'] },
            { id: DELEGATE, displayName: DELEGATE, email: `${DELEGATE}@example.test`, locale: 'en', unitIds: ['claims'] },
          ],
        },
        onProgress: (done, total) => progress.push([done, total]),
      },
      hr,
    );
    expect(report.summary).toEqual({ created: 2, updated: 0, unchanged: 1, rejected: 1 });
    expect(report.units.map((r) => [r.id, r.outcome])).toEqual([['motor', 'created'], ['orphan', 'rejected']]);
    expect(report.units[1]).toMatchObject({ reason: { rule: 'directory.unknown-parent' } });
    expect(progress).toEqual([[0, 4], [2, 4], [4, 4]]);
    expect(await eventsIn(store, unitStreamName('orphan'))).toEqual([]);
    expect((await eventsIn(store, personStreamName('n1'))).map((e) => e.type)).toEqual(['PersonRegistered']);
  });

  it('appends nothing for a batch that changes nothing', async () => {
    const before = await store.headPosition();
    const report = await handler.execute({ batch: { people: [{ id: DELEGATE, displayName: DELEGATE, email: `${DELEGATE}@example.test`, locale: 'en', unitIds: ['claims'] }] } }, hr);
    expect(report.summary).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    expect(await store.headPosition()).toBe(before);
  });

  it('reads the streams of the batch and of the units it names, never the whole log', async () => {
    const counted = countingReads(store);
    await new ImportDirectoryHandler(counted.store, now).execute(
      { batch: { units: [{ id: 'motor', name: 'Motor', parentId: 'claims', managerIds: [] }], people: [{ id: 'n1', displayName: 'N', email: 'n1@example.test', locale: 'en', unitIds: ['motor'] }] } },
      hr,
    );
    expect(counted.reads.has('$all')).toBe(false);
    expect([...counted.reads.keys()].sort()).toEqual([personStreamName('n1'), unitStreamName('claims'), unitStreamName('motor'), unitStreamName('root')].sort());
  });
});
