import { WrongExpectedRevisionError } from '@leadership/event-store';
import { PlanNotFoundError } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetPlanQuery } from '../get-plan/get-plan.query';
import { RegisterPlanHandler } from '../register-plan/register-plan.handler';
import { ClosePlanHandler } from './close-plan.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const actor = { actorId: 'person-ana' };

describe('ClosePlanHandler and GetPlanQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const register = new RegisterPlanHandler(store, () => NOW);
  const close = new ClosePlanHandler(store, () => NOW);
  const get = new GetPlanQuery(store);
  afterAll(() => store.close());

  it('closes the version the caller saw, and the query reads it back', async () => {
    await register.execute({ planId: 'c-1', title: 'To close' }, actor);
    const result = await close.execute({ planId: 'c-1', reason: 'done', expectedVersion: 0 }, actor);
    expect(result).toMatchObject({ version: 1, events: ['PlanClosed'], plan: { status: 'closed', closeReason: 'done' } });
    expect(await get.execute('c-1')).toMatchObject({ version: 1, plan: { status: 'closed', closedAt: NOW.toISOString() } });
  });

  it('refuses a stale version with a conflict', async () => {
    await register.execute({ planId: 'c-2', title: 'Stale' }, actor);
    await close.execute({ planId: 'c-2', reason: 'first' }, actor);
    await expect(close.execute({ planId: 'c-2', reason: 'second', expectedVersion: 0 }, actor)).rejects.toThrow(WrongExpectedRevisionError);
  });

  it('answers not found for an unknown plan, with or without a version', async () => {
    await expect(close.execute({ planId: 'c-none', reason: 'x', expectedVersion: 0 }, actor)).rejects.toThrow(PlanNotFoundError);
    await expect(close.execute({ planId: 'c-none', reason: 'x' }, actor)).rejects.toThrow(PlanNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(PlanNotFoundError);
  });
});
