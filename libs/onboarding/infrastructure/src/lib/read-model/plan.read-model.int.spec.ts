import mongoose, { type Connection } from 'mongoose';
import type { RecordedEvent } from '@leadership/event-store';
import { planStreamName, type PlanEvent } from '@leadership/onboarding-domain';
import { isolatedMongoUri } from '@leadership/testing';
import { PlanReadModel } from './plan.read-model';

let position = 0n;
function recorded(event: PlanEvent, revision: number): RecordedEvent {
  position += 1n;
  return {
    streamName: planStreamName(event.data.planId),
    type: event.type,
    data: event.data,
    metadata: { eventId: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}` },
    revision,
    position,
    recordedAt: event.data.at,
  };
}

const registered = (id: string, at: string): PlanEvent => ({ type: 'PlanRegistered', data: { planId: id, actorId: 'person-ana', at, title: `Title of ${id}` } });
const closed = (id: string, at: string): PlanEvent => ({ type: 'PlanClosed', data: { planId: id, actorId: 'person-bo', at, reason: 'done' } });

/* Against the real MongoDB wire server of the harness (FerretDB locally), a database of its own. */
describe('PlanReadModel', () => {
  let connection: Connection;
  let readModel: PlanReadModel;

  beforeAll(async () => {
    const { uri, dbName } = isolatedMongoUri('onboarding');
    connection = await mongoose.createConnection(uri, { dbName }).asPromise();
    readModel = new PlanReadModel(connection);
    await readModel.init();
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('applies each event once: a redelivery and an older revision change nothing', async () => {
    const first = recorded(registered('r-1', '2026-03-02T09:00:00.000Z'), 0);
    const second = recorded(closed('r-1', '2026-03-03T17:30:00.000Z'), 1);
    expect(await readModel.apply(first)).toBe('applied');
    expect(await readModel.apply(second)).toBe('applied');
    expect(await readModel.apply(second)).toBe('skipped');
    expect(await readModel.apply(first)).toBe('skipped');
    expect(await readModel.find('r-1')).toEqual({
      planId: 'r-1',
      version: 1,
      title: 'Title of r-1',
      status: 'closed',
      registeredAt: '2026-03-02T09:00:00.000Z',
      registeredBy: 'person-ana',
      closedAt: '2026-03-03T17:30:00.000Z',
    });
  });

  it('lists newest first by status, and finds nothing it has not seen', async () => {
    await readModel.apply(recorded(registered('r-2', '2026-03-04T09:00:00.000Z'), 0));
    await readModel.apply(recorded(registered('r-3', '2026-03-05T09:00:00.000Z'), 0));
    expect((await readModel.list({ status: 'open', limit: 10 })).map((v) => v.planId)).toEqual(['r-3', 'r-2']);
    expect((await readModel.list({ limit: 1 })).map((v) => v.planId)).toEqual(['r-3']);
    expect(await readModel.find('r-none')).toBeUndefined();
  });

  it('is emptied by reset (before a rebuild)', async () => {
    await readModel.reset();
    expect(await readModel.list({ limit: 10 })).toEqual([]);
  });
});
