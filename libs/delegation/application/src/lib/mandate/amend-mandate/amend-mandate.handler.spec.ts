import type { EventStore } from '@leadership/event-store';
import { z } from 'zod';
import { FrameworkCheckCatalogue } from '@leadership/delegation-contracts';
import { InvalidFrameworkCheckError, NotFormalManagerError } from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, MANAGER, MANDATE_ID, accepted, activated, givenDirectory, givenMandate, mandateEventTypes, now, proposed } from '../../../spec/delegation-world.fixture';
import { AmendMandateHandler } from './amend-mandate.handler';

describe('AmendMandateHandler', () => {
  let store: EventStore;
  let handler: AmendMandateHandler;

  beforeEach(async () => {
    store = openTestEventStore();
    handler = new AmendMandateHandler(store, now);
    await givenDirectory(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
  });
  afterEach(() => store.close());

  it('applies a reduction at once and proposes an addition for the delegate’s consent', async () => {
    const result = await handler.execute({ mandateId: MANDATE_ID, changes: { authorities: ['cases.assign', 'cases.view-all'] }, expectedVersion: 2 }, { actorId: MANAGER });
    expect(result).toMatchObject({
      version: 4,
      events: ['MandateAmended', 'MandateExpansionProposed'],
      mandate: { authorities: ['cases.assign'], pendingAuthorities: ['cases.view-all'] },
    });
  });

  it('refuses the delegate', async () => {
    await expect(handler.execute({ mandateId: MANDATE_ID, changes: { reviewCadenceDays: 7 } }, { actorId: DELEGATE })).rejects.toThrow(NotFormalManagerError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
  });

  it('does nothing when the terms are already as requested', async () => {
    expect(await handler.execute({ mandateId: MANDATE_ID, changes: { reviewCadenceDays: 30 } }, { actorId: MANAGER })).toMatchObject({ version: 2, events: [] });
  });

  it('refuses a framework whose check is not in the catalogue, and changes nothing', async () => {
    const catalogue = new FrameworkCheckCatalogue([{ kind: 'cases.priority-ceiling', context: 'case-distribution', summary: 'ceiling', params: z.strictObject({ highest: z.enum(['P1', 'P2', 'P3', 'P4']) }) }]);
    const amend = (kind: string, params: Record<string, unknown>) =>
      new AmendMandateHandler(store, now, catalogue).execute(
        { mandateId: MANDATE_ID, changes: { framework: { rules: [{ id: 'r1', text: 'Not above P2', mode: 'enforce', check: { kind, params } }], reservedDecisions: [], escalationContactId: MANAGER } } },
        { actorId: MANAGER },
      );
    await expect(amend('cases.priority-ceiling', { highest: 'P0' })).rejects.toThrow(InvalidFrameworkCheckError);
    await expect(amend('cases.unknown', {})).rejects.toThrow(InvalidFrameworkCheckError);
    expect(await mandateEventTypes(store)).toHaveLength(3);
    await expect(amend('cases.priority-ceiling', { highest: 'P2' })).resolves.toMatchObject({ events: ['MandateAmended'] });
  });
});
