import type { EventStore } from '@leadership/event-store';
import { MissingReasonError, NotDelegateError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { DeclineMandateHandler } from './decline-mandate.handler';

describe('DeclineMandateHandler', () => {
  let store: EventStore;
  let handler: DeclineMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new DeclineMandateHandler(store, now);
    await givenMandate(store, [proposed()]);
  });
  afterEach(() => store.close());

  it('records the delegate’s refusal', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, reason: 'No capacity', expectedVersion: 0 }, { actorId: DELEGATE });
    expect(result).toMatchObject({ version: 1, events: ['MandateDeclined'], mandate: { status: 'declined' } });
  });

  it('refuses anyone but the delegate, and a blank reason', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, reason: 'No' }, { actorId: MANAGER })).rejects.toThrow(NotDelegateError);
    await expect(handler.execute({ mandateId: MANDATE_ID, reason: '  ' }, { actorId: DELEGATE })).rejects.toThrow(MissingReasonError);
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed']);
  });

  it('does nothing when declined twice', async () => {
    await handler.execute({ mandateId: MANDATE_ID, reason: 'No capacity' }, { actorId: DELEGATE });
    expect(await handler.execute({ mandateId: MANDATE_ID, reason: 'Still no' }, { actorId: DELEGATE })).toMatchObject({ version: 1, events: [] });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateDeclined']);
  });
});
