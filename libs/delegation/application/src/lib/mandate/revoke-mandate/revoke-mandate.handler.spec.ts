import type { EventStore } from '@leadership/event-store';
import { NotFormalManagerError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenDirectory, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { RevokeMandateHandler } from './revoke-mandate.handler';

describe('RevokeMandateHandler', () => {
  let store: EventStore;
  let handler: RevokeMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new RevokeMandateHandler(store, now);
    await givenDirectory(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
  });
  afterEach(() => store.close());

  it('ends the mandate for a manager of its unit', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, reason: 'Reorganisation', expectedVersion: 2 }, { actorId: MANAGER });
    expect(result).toMatchObject({ version: 3, events: ['MandateRevoked'], mandate: { status: 'ended', endReason: 'revoked' } });
  });

  it('refuses the delegate', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, reason: 'x' }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('does nothing when revoked twice', async () => {
    await handler.execute({ mandateId: MANDATE_ID, reason: 'Reorganisation' }, { actorId: MANAGER });
    expect(await handler.execute({ mandateId: MANDATE_ID, reason: 'Reorganisation' }, { actorId: MANAGER })).toMatchObject({ version: 3, events: [] });
  });
});
