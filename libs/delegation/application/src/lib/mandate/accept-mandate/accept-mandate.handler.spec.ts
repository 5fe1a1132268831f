import { WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import { MandateNotFoundError, NotDelegateError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, FROM, MANAGER, MANDATE_ID, accepted, givenMandate, mandateEventTypes, proposed } from '../../../spec/delegation-world.fixture';
import { AcceptMandateHandler } from './accept-mandate.handler';

describe('AcceptMandateHandler', () => {
  let store: EventStore;
  const at = (iso: string) => () => new Date(iso);
  const before = at('2026-03-05T09:00:00.000Z');

  beforeEach(() => (store = openTestEventStore()));
  afterEach(() => store.close());

  it('records the delegate’s consent', async () => {
    await givenMandate(store, [proposed()]);
    const result = await new AcceptMandateHandler(store, before).execute({ mandateId: MANDATE_ID, expectedVersion: 0 }, { actorId: DELEGATE });
    expect(result).toMatchObject({ version: 1, events: ['MandateAccepted'], mandate: { status: 'accepted' } });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateAccepted']);
  });

  it('puts the mandate in force at once when accepted after its start', async () => {
    await givenMandate(store, [proposed()]);
    await new AcceptMandateHandler(store, at(FROM)).execute({ mandateId: MANDATE_ID }, { actorId: DELEGATE });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateAccepted', 'MandateActivated']);
  });

  it('refuses anyone but the delegate', async () => {
    await givenMandate(store, [proposed()]);
    await expect(new AcceptMandateHandler(store, before).execute({ mandateId: MANDATE_ID }, { actorId: MANAGER })).rejects.toThrow(NotDelegateError);
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed']);
  });

  it('refuses a version the mandate is no longer at (409), without deciding', async () => {
    await givenMandate(store, [proposed(), accepted()]);
    await expect(new AcceptMandateHandler(store, before).execute({ mandateId: MANDATE_ID, expectedVersion: 0 }, { actorId: DELEGATE })).rejects.toThrow(
      WrongExpectedRevisionError,
    );
  });

  it('answers not found for a version of a mandate that does not exist', async () => {
    await expect(new AcceptMandateHandler(store, before).execute({ mandateId: MANDATE_ID, expectedVersion: 0 }, { actorId: DELEGATE })).rejects.toThrow(
      MandateNotFoundError,
    );
  });

  it('does nothing when accepted again with nothing pending', async () => {
    await givenMandate(store, [proposed(), accepted()]);
    const result = await new AcceptMandateHandler(store, before).execute({ mandateId: MANDATE_ID }, { actorId: DELEGATE });
    expect(result).toMatchObject({ version: 1, events: [] });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed', 'MandateAccepted']);
  });
});
