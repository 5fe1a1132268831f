import { planStreamName } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { GenerateDraftPlanHandler } from './generate-draft-plan.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('GenerateDraftPlanHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new GenerateDraftPlanHandler(store, () => NOW);
  afterAll(() => store.close());

  it('appends PlanDrafted with the metadata of the command context', async () => {
    const result = await handler.execute({ newcomerId: 'a-1', unitId: 'unit-support' }, { actorId: 'system:directory', correlationId: 'corr-1' });
    expect(result).toEqual({
      planId: 'a-1',
      version: 0,
      plan: { status: 'draft', planId: 'a-1', newcomerId: 'a-1', unitId: 'unit-support', createdAt: NOW.toISOString() },
      events: ['PlanDrafted'],
    });
    const stored = await store.readStream(planStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['PlanDrafted', 'system:directory', 'corr-1']]);
  });

  it('appends nothing when the directory announces the same newcomer again', async () => {
    await handler.execute({ newcomerId: 'a-2', unitId: 'unit-support' }, { actorId: 'system:directory' });
    const retry = await handler.execute({ newcomerId: 'a-2', unitId: 'unit-support' }, { actorId: 'system:directory' });
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(planStreamName('a-2'))).toHaveLength(1);
  });
});
