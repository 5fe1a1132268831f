import type { EventStore } from '@leadership/event-store';
import { NotYetStartedError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { FROM, MANDATE_ID, accepted, givenMandate, mandateEventTypes, proposed } from '../../../spec/delegation-world.fixture';
import { ActivateMandateHandler } from './activate-mandate.handler';

describe('ActivateMandateHandler', () => {
  let store: EventStore;
  let handler: ActivateMandateHandler;
  const scheduler = { actorId: 'system:scheduler', idempotencyKey: `activate:${MANDATE_ID}` };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ActivateMandateHandler(store);
    await givenMandate(store, [proposed(), accepted()]);
  });
  afterEach(() => store.close());

  it('puts an accepted mandate in force at its start', async () => {
    expect(await handler.execute({ mandateId: MANDATE_ID, at: FROM }, scheduler)).toMatchObject({ version: 2, events: ['MandateActivated'], mandate: { status: 'active' } });
  });

  it('refuses before the start', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, at: '2026-04-01T23:59:59.000Z' }, scheduler)).rejects.toThrow(NotYetStartedError);
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateAccepted']);
  });

  it('does nothing when the scheduler repeats the action after a restart', async () => {
    await handler.execute({ mandateId: MANDATE_ID, at: FROM }, scheduler);
    expect(await handler.execute({ mandateId: MANDATE_ID, at: '2026-04-02T00:00:01.000Z' }, scheduler)).toMatchObject({ version: 2, events: [] });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateAccepted', 'MandateActivated']);
  });
});
