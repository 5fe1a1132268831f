import { WrongExpectedRevisionError } from '@leadership/event-store';
import { deterministicId } from '@leadership/kernel';
import { PlanNotFoundError, PlanNotGeneratedError, planStreamName, type DecisionStamp, type PlanEvent } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetPlanQuery } from '../get-plan/get-plan.query';
import { GenerateDraftPlanHandler } from '../generate-draft-plan/generate-draft-plan.handler';
import { CompletePlanHandler } from './complete-plan.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const stamp: DecisionStamp = { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' };
const actor = { actorId: 'person-ana' };

/** A generated plan, appended as its event (generation itself is the application layer's next use case). */
const generated = (newcomerId: string): PlanEvent & { metadata: { eventId: string } } => ({
  type: 'PlanGenerated',
  data: { planId: newcomerId, actorId: 'person-ana', at: NOW.toISOString(), stamp, newcomerId, unitId: 'unit-support', startDate: '2026-03-02', timeZone: 'Europe/Stockholm', programmes: [], organiserId: 'person-ana', steps: [] },
  metadata: { eventId: deterministicId('generated', newcomerId) },
});

describe('CompletePlanHandler and GetPlanQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const draft = new GenerateDraftPlanHandler(store, () => NOW);
  const complete = new CompletePlanHandler(store, () => NOW);
  const get = new GetPlanQuery(store);
  afterAll(() => store.close());

  it('completes the version the caller saw, and the query reads it back', async () => {
    await store.appendToStream(planStreamName('c-1'), [generated('c-1')], 'no_stream');
    const result = await complete.execute({ newcomerId: 'c-1', stamp, expectedVersion: 0 }, actor);
    expect(result).toMatchObject({ version: 1, events: ['PlanCompleted'], plan: { status: 'completed' } });
    expect(await get.execute('c-1')).toMatchObject({ version: 1, plan: { status: 'completed', completedAt: NOW.toISOString() } });
  });

  it('refuses a stale version with a conflict, and a draft with its rule', async () => {
    await store.appendToStream(planStreamName('c-2'), [generated('c-2')], 'no_stream');
    await complete.execute({ newcomerId: 'c-2', stamp }, actor);
    await expect(complete.execute({ newcomerId: 'c-2', stamp, expectedVersion: 5 }, actor)).rejects.toThrow(WrongExpectedRevisionError);
    await draft.execute({ newcomerId: 'c-3', unitId: 'unit-support' }, actor);
    await expect(complete.execute({ newcomerId: 'c-3', stamp }, actor)).rejects.toThrow(PlanNotGeneratedError);
  });

  it('answers not found for an unknown plan, with or without a version', async () => {
    await expect(complete.execute({ newcomerId: 'c-none', stamp, expectedVersion: 0 }, actor)).rejects.toThrow(PlanNotFoundError);
    await expect(complete.execute({ newcomerId: 'c-none', stamp }, actor)).rejects.toThrow(PlanNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(PlanNotFoundError);
  });
});
