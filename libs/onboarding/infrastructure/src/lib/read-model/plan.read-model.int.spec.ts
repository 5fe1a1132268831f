import mongoose, { type Connection } from 'mongoose';
import type { RecordedEvent } from '@leadership/event-store';
import { planStreamName, type DecisionStamp, type PlanEvent } from '@leadership/onboarding-domain';
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

const stamp: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' };
const drafted = (id: string, at: string): PlanEvent => ({ type: 'PlanDrafted', data: { planId: id, actorId: 'system:directory', at, newcomerId: id, unitId: 'unit-support' } });
const generated = (id: string, at: string): PlanEvent => ({
  type: 'PlanGenerated',
  data: { planId: id, actorId: 'person-ana', at, stamp, newcomerId: id, unitId: 'unit-support', startDate: '2026-03-09', timeZone: 'Europe/Stockholm', programmes: [], organiserId: 'person-ana', steps: [] },
});
const completed = (id: string, at: string): PlanEvent => ({ type: 'PlanCompleted', data: { planId: id, actorId: 'person-ana', at, stamp, openSteps: [] } });

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
    const first = recorded(drafted('r-1', '2026-03-02T09:00:00.000Z'), 0);
    const second = recorded(generated('r-1', '2026-03-03T09:00:00.000Z'), 1);
    const third = recorded(completed('r-1', '2026-06-03T17:30:00.000Z'), 2);
    expect(await readModel.apply(first)).toBe('applied');
    expect(await readModel.apply(second)).toBe('applied');
    expect(await readModel.apply(third)).toBe('applied');
    expect(await readModel.apply(third)).toBe('skipped');
    expect(await readModel.apply(first)).toBe('skipped');
    expect(await readModel.find('r-1')).toEqual({
      newcomerId: 'r-1',
      version: 2,
      unitId: 'unit-support',
      status: 'completed',
      createdAt: '2026-03-02T09:00:00.000Z',
      startDate: '2026-03-09',
      timeZone: 'Europe/Stockholm',
      organiserId: 'person-ana',
      completedAt: '2026-06-03T17:30:00.000Z',
    });
  });

  it('lists newest first by status, and finds nothing it has not seen', async () => {
    await readModel.apply(recorded(drafted('r-2', '2026-03-04T09:00:00.000Z'), 0));
    await readModel.apply(recorded(drafted('r-3', '2026-03-05T09:00:00.000Z'), 0));
    expect((await readModel.list({ status: 'draft', limit: 10 })).map((v) => v.newcomerId)).toEqual(['r-3', 'r-2']);
    expect((await readModel.list({ limit: 1 })).map((v) => v.newcomerId)).toEqual(['r-3']);
    expect(await readModel.find('r-none')).toBeUndefined();
  });

  it('is emptied by reset (before a rebuild)', async () => {
    await readModel.reset();
    expect(await readModel.list({ limit: 10 })).toEqual([]);
  });
});
