import type { EventStore } from '@leadership/event-store';
import { NotYetExpiredError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { MANDATE_ID, UNTIL, accepted, activated, givenMandate, mandateEventTypes, proposed } from '../../../spec/delegation-world.fixture';
import { ExpireMandateHandler } from './expire-mandate.handler';

describe('ExpireMandateHandler', () => {
  let store: EventStore;
  let handler: ExpireMandateHandler;
  const scheduler = { actorId: 'system:scheduler' };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ExpireMandateHandler(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
  });
  afterEach(() => store.close());

  it('ends a mandate whose period ran out', async () => {
    expect(await handler.execute({ mandateId: MANDATE_ID, at: UNTIL }, scheduler)).toMatchObject({ version: 3, events: ['MandateExpired'], mandate: { status: 'ended', endReason: 'expired' } });
  });

  it('refuses before the end of the period', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, at: '2026-06-30T23:59:59.000Z' }, scheduler)).rejects.toThrow(NotYetExpiredError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('does nothing for a mandate that ended already', async () => {
    await handler.execute({ mandateId: MANDATE_ID, at: UNTIL }, scheduler);
    expect(await handler.execute({ mandateId: MANDATE_ID, at: UNTIL }, scheduler)).toMatchObject({ version: 3, events: [] });
  });
});
