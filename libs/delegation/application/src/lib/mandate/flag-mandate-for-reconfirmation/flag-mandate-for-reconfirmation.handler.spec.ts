import type { EventStore } from '@leadership/event-store';
import { MandateNotFoundError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { MANAGER, MANDATE_ID, accepted, activated, givenMandate, mandateEventTypes, proposed } from '../../../spec/delegation-world.fixture';
import { FlagMandateForReconfirmationHandler } from './flag-mandate-for-reconfirmation.handler';

describe('FlagMandateForReconfirmationHandler', () => {
  let store: EventStore;
  let handler: FlagMandateForReconfirmationHandler;
  const scheduler = { actorId: 'system:scheduler' };
  const at = '2026-04-10T00:00:00.000Z';

  beforeEach(() => {
    store = openTestEventStore();
    handler = new FlagMandateForReconfirmationHandler(store);
  });
  afterEach(() => store.close());

  it('flags a live mandate whose delegator no longer manages the unit', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    expect(await handler.execute({ mandateId: MANDATE_ID, at }, scheduler)).toMatchObject({
      version: 3,
      events: ['MandateFlaggedForReconfirmation'],
      mandate: { reconfirmation: { reason: 'delegator-no-longer-manages', delegatorId: MANAGER } },
    });
  });

  it('refuses a mandate that does not exist', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, at }, scheduler)).rejects.toThrow(MandateNotFoundError);
    expect(await mandateEventTypes(store)).toEqual([]);
  });

  it('does nothing while a flag is open', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await handler.execute({ mandateId: MANDATE_ID, at }, scheduler);
    expect(await handler.execute({ mandateId: MANDATE_ID, at }, scheduler)).toMatchObject({ version: 3, events: [] });
  });
});
