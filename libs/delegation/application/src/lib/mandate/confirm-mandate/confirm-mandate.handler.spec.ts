import type { EventStore } from '@leadership/event-store';
import { NotFormalManagerError, type MandateEvent } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { CEO, DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenDirectory, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { ConfirmMandateHandler } from './confirm-mandate.handler';

describe('ConfirmMandateHandler', () => {
  let store: EventStore;
  let handler: ConfirmMandateHandler;
  const flagged: MandateEvent = {
    type: 'MandateFlaggedForReconfirmation',
    data: { mandateId: MANDATE_ID, actorId: 'system:scheduler', at: '2026-03-20T00:00:00.000Z', reason: 'delegator-no-longer-manages', delegatorId: MANAGER },
  };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ConfirmMandateHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('lets a formal manager above the unit take the flagged mandate over', async () => {
    await givenMandate(store, [proposed(), accepted(), activated(), flagged]);
    const result = await handler.execute({ mandateId: MANDATE_ID, expectedVersion: 3 }, { actorId: CEO });
    expect(result).toMatchObject({ version: 4, events: ['MandateConfirmed'], mandate: { delegatorId: CEO, reconfirmation: null } });
  });

  it('refuses the delegate (no formal manager)', async () => {
    await givenMandate(store, [proposed(), accepted(), activated(), flagged]);
    await expect(handler.execute({ mandateId: MANDATE_ID }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    expect(await mandateEventTypes(store)).toHaveLength(4);
  });

  it('does nothing for a mandate that awaits no reconfirmation', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    expect(await handler.execute({ mandateId: MANDATE_ID }, { actorId: CEO })).toMatchObject({ version: 2, events: [] });
  });
});
