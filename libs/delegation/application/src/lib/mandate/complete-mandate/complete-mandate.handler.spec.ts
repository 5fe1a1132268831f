import type { EventStore } from '@leadership/event-store';
import { InvalidMandateTransitionError, NotFormalManagerError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, accepted, activated, eventsIn, givenDirectory, givenMandate, now, proposed } from '../../../spec/delegation-world.fixture';
import { mandateStreamName } from '@leadership/delegation-domain';
import { CompleteMandateHandler } from './complete-mandate.handler';

describe('CompleteMandateHandler', () => {
  let store: EventStore;
  let handler: CompleteMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new CompleteMandateHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('ends an active mandate as completed, with the note', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    const result = await handler.execute({ mandateId: MANDATE_ID, note: 'Roll-out done' }, { actorId: MANAGER });
    expect(result).toMatchObject({ version: 3, events: ['MandateCompleted'], mandate: { status: 'ended', endReason: 'completed' } });
    expect((await eventsIn(store, mandateStreamName(MANDATE_ID))).at(-1)).toMatchObject({ data: { note: 'Roll-out done' } });
  });

  it('refuses the delegate, and a mandate not yet in force', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await expect(handler.execute({ mandateId: MANDATE_ID }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    await givenMandate(store, [proposed({ mandateId: 'second' })], 'second');
    await expect(handler.execute({ mandateId: 'second' }, { actorId: MANAGER })).rejects.toThrow(InvalidMandateTransitionError);
  });

  it('does nothing when completed twice', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await handler.execute({ mandateId: MANDATE_ID }, { actorId: MANAGER });
    expect(await handler.execute({ mandateId: MANDATE_ID }, { actorId: MANAGER })).toMatchObject({ version: 3, events: [] });
  });
});
