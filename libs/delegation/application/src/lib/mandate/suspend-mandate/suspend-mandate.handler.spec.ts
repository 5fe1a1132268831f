import type { EventStore } from '@leadership/event-store';
import { MandateNotFoundError, NotFormalManagerError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { CEO, DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenDirectory, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { SuspendMandateHandler } from './suspend-mandate.handler';

describe('SuspendMandateHandler', () => {
  let store: EventStore;
  let handler: SuspendMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new SuspendMandateHandler(store, now);
    await givenDirectory(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
  });
  afterEach(() => store.close());

  it('suspends for a manager of the unit or of a unit above it', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, reason: 'Investigation', expectedVersion: 2 }, { actorId: CEO });
    expect(result).toMatchObject({ version: 3, events: ['MandateSuspended'], mandate: { status: 'suspended' } });
  });

  it('refuses the delegate (no formal manager), and an unknown mandate', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, reason: 'Holiday' }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    await expect(handler.execute({ mandateId: 'nope', reason: 'x' }, { actorId: MANAGER })).rejects.toThrow(MandateNotFoundError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('does nothing when already suspended', async () => {
    await handler.execute({ mandateId: MANDATE_ID, reason: 'Investigation' }, { actorId: MANAGER });
    expect(await handler.execute({ mandateId: MANDATE_ID, reason: 'Again' }, { actorId: MANAGER })).toMatchObject({ version: 3, events: [] });
  });
});
