import { planStreamName, PlanAlreadyExistsError } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { RegisterPlanHandler } from './register-plan.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('RegisterPlanHandler (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const handler = new RegisterPlanHandler(store, () => NOW);
  afterAll(() => store.close());

  it('appends PlanRegistered with the metadata of the command context', async () => {
    const result = await handler.execute({ planId: 'a-1', title: 'First' }, { actorId: 'person-ana', correlationId: 'corr-1' });
    expect(result).toEqual({
      planId: 'a-1',
      version: 0,
      plan: { status: 'open', planId: 'a-1', title: 'First', registeredAt: NOW.toISOString(), registeredBy: 'person-ana', closedAt: null, closeReason: null },
      events: ['PlanRegistered'],
    });
    const stored = await store.readStream(planStreamName('a-1'));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['correlationId']])).toEqual([['PlanRegistered', 'person-ana', 'corr-1']]);
  });

  it('appends nothing when a request with the same idempotency key is retried', async () => {
    const context = { actorId: 'person-ana', idempotencyKey: 'key-1' };
    await handler.execute({ planId: 'a-2', title: 'Second' }, context);
    const retry = await handler.execute({ planId: 'a-2', title: 'Second' }, context);
    expect(retry).toMatchObject({ version: 0, events: [] });
    expect(await store.readStream(planStreamName('a-2'))).toHaveLength(1);
  });

  it('refuses the id for another title and appends nothing', async () => {
    await handler.execute({ planId: 'a-3', title: 'Third' }, { actorId: 'person-ana' });
    await expect(handler.execute({ planId: 'a-3', title: 'Other' }, { actorId: 'person-ana' })).rejects.toThrow(PlanAlreadyExistsError);
    expect(await store.readStream(planStreamName('a-3'))).toHaveLength(1);
  });
});
