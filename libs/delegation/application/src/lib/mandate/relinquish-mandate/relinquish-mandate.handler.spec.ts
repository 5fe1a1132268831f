import type { EventStore } from '@leadership/event-store';
import { NotDelegateError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { RelinquishMandateHandler } from './relinquish-mandate.handler';

describe('RelinquishMandateHandler', () => {
  let store: EventStore;
  let handler: RelinquishMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new RelinquishMandateHandler(store, now);
    await givenMandate(store, [proposed(), accepted(), activated()]);
  });
  afterEach(() => store.close());

  it('ends the mandate at the delegate’s request', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, reason: 'New role', expectedVersion: 2 }, { actorId: DELEGATE });
    expect(result).toMatchObject({ version: 3, events: ['MandateRelinquished'], mandate: { status: 'ended', endReason: 'relinquished' } });
  });

  it('refuses anyone but the delegate', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, reason: 'New role' }, { actorId: MANAGER })).rejects.toThrow(NotDelegateError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('does nothing when relinquished twice', async () => {
    await handler.execute({ mandateId: MANDATE_ID, reason: 'New role' }, { actorId: DELEGATE });
    expect(await handler.execute({ mandateId: MANDATE_ID, reason: 'New role' }, { actorId: DELEGATE })).toMatchObject({ version: 3, events: [] });
  });
});
