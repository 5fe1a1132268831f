import type { EventStore } from '@leadership/event-store';
import { NotFormalManagerError, type MandateEvent } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenDirectory, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { ResumeMandateHandler } from './resume-mandate.handler';

describe('ResumeMandateHandler', () => {
  let store: EventStore;
  let handler: ResumeMandateHandler;
  const suspended: MandateEvent = { type: 'MandateSuspended', data: { mandateId: MANDATE_ID, actorId: MANAGER, at: '2026-03-10T00:00:00.000Z', reason: 'Check' } };

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new ResumeMandateHandler(store, now);
    await givenDirectory(store);
  });
  afterEach(() => store.close());

  it('lifts a suspension', async () => {
    await givenMandate(store, [proposed(), accepted(), activated(), suspended]);
    expect(await handler.execute({ mandateId: MANDATE_ID, expectedVersion: 3 }, { actorId: MANAGER })).toMatchObject({ version: 4, events: ['MandateResumed'], mandate: { status: 'active' } });
  });

  it('refuses the delegate', async () => {
    await givenMandate(store, [proposed(), accepted(), activated(), suspended]);
    await expect(handler.execute({ mandateId: MANDATE_ID }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    expect(await mandateEventTypes(store)).toHaveLength(4);
  });

  it('does nothing for an active mandate', async () => {
    await givenMandate(store, [proposed(), accepted(), activated()]);
    expect(await handler.execute({ mandateId: MANDATE_ID }, { actorId: MANAGER })).toMatchObject({ version: 2, events: [] });
  });
});
