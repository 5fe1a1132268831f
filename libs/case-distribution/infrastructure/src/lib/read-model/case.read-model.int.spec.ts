import mongoose, { type Connection } from 'mongoose';
import type { RecordedEvent } from '@leadership/event-store';
import { caseStreamName, type CaseEvent } from '@leadership/case-distribution-domain';
import { isolatedMongoUri } from '@leadership/testing';
import { CaseReadModel } from './case.read-model';

let position = 0n;
function recorded(event: CaseEvent, revision: number): RecordedEvent {
  position += 1n;
  return {
    streamName: caseStreamName(event.data.caseId),
    type: event.type,
    data: event.data,
    metadata: { eventId: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}` },
    revision,
    position,
    recordedAt: event.data.at,
  };
}

const registered = (id: string, at: string): CaseEvent => ({
  type: 'CaseRegistered',
  data: { caseId: id, actorId: 'person-ana', at, queueId: 'general', unitId: 'unit-claims', title: `Title of ${id}`, description: null, priority: 'P3', channel: 'email', requiredSkills: [], preferredSkills: [], externalRef: null, receivedAt: at },
});
const assigned = (id: string, at: string): CaseEvent => ({
  type: 'CaseAssigned',
  data: { caseId: id, actorId: 'person-bo', at, stamp: { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-bo' }, assigneeId: 'person-cleo', reason: 'knows it', overCapacity: false },
});

/* Against the real MongoDB wire server of the harness (FerretDB locally), a database of its own. */
describe('CaseReadModel', () => {
  let connection: Connection;
  let readModel: CaseReadModel;

  beforeAll(async () => {
    const { uri, dbName } = isolatedMongoUri('case_distribution');
    connection = await mongoose.createConnection(uri, { dbName }).asPromise();
    readModel = new CaseReadModel(connection);
    await readModel.init();
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('applies each event once: a redelivery and an older revision change nothing', async () => {
    const first = recorded(registered('r-1', '2026-03-02T09:00:00.000Z'), 0);
    const second = recorded(assigned('r-1', '2026-03-03T17:30:00.000Z'), 1);
    expect(await readModel.apply(first)).toBe('applied');
    expect(await readModel.apply(second)).toBe('applied');
    expect(await readModel.apply(second)).toBe('skipped');
    expect(await readModel.apply(first)).toBe('skipped');
    expect(await readModel.find('r-1')).toEqual({
      caseId: 'r-1',
      version: 1,
      queueId: 'general',
      unitId: 'unit-claims',
      title: 'Title of r-1',
      status: 'assigned',
      priority: 'P3',
      receivedAt: '2026-03-02T09:00:00.000Z',
      registeredBy: 'person-ana',
      offeredTo: null,
      assigneeId: 'person-cleo',
      resolvedAt: null,
    });
  });

  it('lists newest first by status, and finds nothing it has not seen', async () => {
    await readModel.apply(recorded(registered('r-2', '2026-03-04T09:00:00.000Z'), 0));
    await readModel.apply(recorded(registered('r-3', '2026-03-05T09:00:00.000Z'), 0));
    expect((await readModel.list({ status: 'queued', limit: 10 })).map((v) => v.caseId)).toEqual(['r-3', 'r-2']);
    expect((await readModel.list({ limit: 1 })).map((v) => v.caseId)).toEqual(['r-3']);
    expect(await readModel.find('r-none')).toBeUndefined();
  });

  it('is emptied by reset (before a rebuild)', async () => {
    await readModel.reset();
    expect(await readModel.list({ limit: 10 })).toEqual([]);
  });
});
