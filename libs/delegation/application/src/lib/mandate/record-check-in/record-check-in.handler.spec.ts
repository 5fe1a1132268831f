import type { EventStore } from '@leadership/event-store';
import { InvalidMandateTransitionError, NotPartyError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { COLLEAGUE, DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { RecordCheckInHandler } from './record-check-in.handler';

describe('RecordCheckInHandler', () => {
  let store: EventStore;
  let handler: RecordCheckInHandler;

  beforeEach(() => {
    store = openTestEventStore();
    handler = new RecordCheckInHandler(store, now);
  });
  afterEach(() => store.close());

  it('records a check-in by delegate or delegator (each one is a conversation: never a no-op)', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await handler.execute({ mandateId: MANDATE_ID, note: 'On track' }, { actorId: DELEGATE });
    const result = await handler.execute({ mandateId: MANDATE_ID, note: 'Agreed' }, { actorId: MANAGER });
    expect(result).toMatchObject({ version: 4, events: ['MandateCheckInRecorded'], mandate: { lastCheckInAt: now().toISOString() } });
  });

  it('refuses people who are no party of the mandate', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    await expect(handler.execute({ mandateId: MANDATE_ID, note: 'Hi' }, { actorId: COLLEAGUE })).rejects.toThrow(NotPartyError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('refuses a check-in before the delegate accepted', async () => {
    await givenMandate(store, [proposed()]);
    await expect(handler.execute({ mandateId: MANDATE_ID, note: 'Hi' }, { actorId: DELEGATE })).rejects.toThrow(InvalidMandateTransitionError);
  });
});
