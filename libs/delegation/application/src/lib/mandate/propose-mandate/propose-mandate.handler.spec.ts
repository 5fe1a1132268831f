import type { EventStore } from '@leadership/event-store';
import { z } from 'zod';
import { FrameworkCheckCatalogue } from '@leadership/delegation-contracts';
import {
  DelegateNotMemberError,
  InvalidFrameworkCheckError,
  ExclusiveOverlapError,
  MandateAlreadyExistsError,
  NotFormalManagerError,
  mandateStreamName,
} from '@leadership/delegation-domain';
import { openTestEventStore } from '@leadership/testing';
import {
  COLLEAGUE,
  MANAGER,
  MANDATE_ID,
  OTHER_MANDATE_ID,
  OUTSIDER,
  UNIT,
  countingReads,
  eventsIn,
  givenDirectory,
  mandateEventTypes,
  now,
  proposal,
  proposed,
} from '../../../spec/delegation-world.fixture';
import { UnknownTaskTypeError } from '../../task-type/unknown-task-type.error';
import { scopeClaimStreamName } from '../exclusive-scope/exclusive-scope.claims';
import { ProposeMandateHandler } from './propose-mandate.handler';

describe('ProposeMandateHandler', () => {
  let store: EventStore;
  let handler: ProposeMandateHandler;
  const claimStream = scopeClaimStreamName('case-distribution', { unitId: UNIT, queueId: 'motor' });
  const claimedMandates = async () => (await eventsIn(store, claimStream)).map((e) => (e.data as { mandateId: string }).mandateId);

  beforeEach(async () => {
    store = openTestEventStore();
    await givenDirectory(store);
    handler = new ProposeMandateHandler(store, now);
  });
  afterEach(() => store.close());

  it('records the proposal and claims the exclusive scope', async () => {
    const result = await handler.execute(proposal(), { actorId: MANAGER });
    expect(result).toMatchObject({ mandateId: MANDATE_ID, version: 0, events: ['MandateProposed'], mandate: { status: 'proposed', delegatorId: MANAGER } });
    expect(await eventsIn(store, mandateStreamName(MANDATE_ID))).toEqual([proposed({}, now().toISOString())]);
    expect(await claimedMandates()).toEqual([MANDATE_ID]);
  });

  it('reads each fact once and decides once (no stream is read twice)', async () => {
    const counted = countingReads(store);
    await new ProposeMandateHandler(counted.store, now).execute(proposal({ taskType: 'coordination', authorities: ['tasks.view-all'], scope: { unitId: UNIT } }), { actorId: MANAGER });
    expect([...counted.reads.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(counted.reads.get(mandateStreamName(MANDATE_ID))).toBe(1);
  });

  it('refuses a proposer who manages neither the unit nor a unit above it, and leaves no claim', async () => {
    expect.assertions(3);
    await expect(handler.execute(proposal(), { actorId: OUTSIDER })).rejects.toThrow(NotFormalManagerError);
    expect(await mandateEventTypes(store)).toEqual([]);
    expect(await claimedMandates()).toEqual([]);
  });

  it('refuses a delegate outside the unit before claiming the scope', async () => {
    await expect(handler.execute(proposal({ delegateId: OUTSIDER }), { actorId: MANAGER })).rejects.toThrow(DelegateNotMemberError);
    expect(await claimedMandates()).toEqual([]);
  });

  it('refuses a second live mandate on an exclusive scope, naming the first, and records nothing for it', async () => {
    await handler.execute(proposal(), { actorId: MANAGER });
    const second = handler.execute(proposal({ mandateId: OTHER_MANDATE_ID, delegateId: COLLEAGUE }), { actorId: MANAGER });
    await expect(second).rejects.toThrow(ExclusiveOverlapError);
    await expect(second).rejects.toMatchObject({ otherMandateId: MANDATE_ID });
    expect(await mandateEventTypes(store, OTHER_MANDATE_ID)).toEqual([]);
    expect(await claimedMandates()).toEqual([MANDATE_ID]);
  });

  it('refuses a task type that is not in the catalogue', async () => {
    await expect(handler.execute(proposal({ taskType: 'astrology' }), { actorId: MANAGER })).rejects.toThrow(UnknownTaskTypeError);
    expect(await mandateEventTypes(store)).toEqual([]);
  });

  it('does nothing for a retried proposal with the same terms, and claims nothing again', async () => {
    await handler.execute(proposal(), { actorId: MANAGER });
    const retry = await handler.execute(proposal(), { actorId: MANAGER });
    expect(retry).toMatchObject({ version: 0, events: [], mandate: { status: 'proposed' } });
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed']);
    expect(await claimedMandates()).toEqual([MANDATE_ID]);
  });

  it('refuses the same id for other terms', async () => {
    await handler.execute(proposal(), { actorId: MANAGER });
    await expect(handler.execute(proposal({ reviewCadenceDays: 7 }), { actorId: MANAGER })).rejects.toThrow(MandateAlreadyExistsError);
    expect(await mandateEventTypes(store)).toEqual(['MandateProposed']);
  });

  describe('machine-checkable framework rules', () => {
    const catalogue = new FrameworkCheckCatalogue([
      { kind: 'cases.max-load-percent', context: 'case-distribution', summary: 'load limit', params: z.strictObject({ percent: z.number().int().min(1).max(200) }) },
    ]);
    const withCheck = (check: { kind: string; params: Record<string, unknown> }) =>
      proposal({ framework: { rules: [{ id: 'r1', text: 'At most full load', mode: 'enforce', check }], reservedDecisions: [], escalationContactId: MANAGER } });

    it('records a rule whose check is in the catalogue, with its params', async () => {
      await new ProposeMandateHandler(store, now, catalogue).execute(withCheck({ kind: 'cases.max-load-percent', params: { percent: 100 } }), { actorId: MANAGER });
      const [event] = await eventsIn(store, mandateStreamName(MANDATE_ID));
      expect((event?.data as { framework: unknown }).framework).toMatchObject({ rules: [{ id: 'r1', check: { kind: 'cases.max-load-percent', params: { percent: 100 } } }] });
    });

    it.each([
      ['an unknown kind', { kind: 'cases.astrology', params: {} }, /rule r1: unknown check kind cases\.astrology/],
      ['params the kind refuses', { kind: 'cases.max-load-percent', params: { percent: 'lots' } }, /rule r1: params of cases\.max-load-percent: percent/],
      ['an unknown param', { kind: 'cases.max-load-percent', params: { percent: 80, alsoWeekends: true } }, /rule r1: params of cases\.max-load-percent/],
    ])('refuses %s (422 mandate.invalid-framework-check) and records nothing', async (_, check, message) => {
      expect.assertions(3);
      const refused = new ProposeMandateHandler(store, now, catalogue).execute(withCheck(check), { actorId: MANAGER });
      await expect(refused).rejects.toThrow(InvalidFrameworkCheckError);
      await expect(refused).rejects.toThrow(message);
      expect(await mandateEventTypes(store)).toEqual([]);
    });

    it('refuses every check when no catalogue was given', async () => {
      await expect(handler.execute(withCheck({ kind: 'cases.max-load-percent', params: { percent: 100 } }), { actorId: MANAGER })).rejects.toThrow(InvalidFrameworkCheckError);
    });
  });
});
