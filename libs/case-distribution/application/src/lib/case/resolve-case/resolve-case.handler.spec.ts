import { handleCommand, WrongExpectedRevisionError } from '@leadership/event-store';
import { caseDecider, CaseNotAssignedError, CaseNotFoundError, caseStreamName, type CaseCommand } from '@leadership/case-distribution-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetCaseQuery } from '../get-case/get-case.query';
import { ResolveCaseHandler } from './resolve-case.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const AT = NOW.toISOString();
const actor = { actorId: 'person-cleo' };

/* The case is registered and assigned through the decider directly: those use cases are not this suite's subject. */
const register = (caseId: string): CaseCommand => ({
  type: 'RegisterCase',
  data: { caseId, actorId: 'person-ana', at: AT, queueId: 'general', unitId: 'unit-claims', title: 'To resolve', priority: 'P3', channel: 'email', requiredSkills: [], preferredSkills: [], receivedAt: AT },
});
const assign = (caseId: string): CaseCommand => ({
  type: 'AssignCase',
  data: {
    caseId,
    at: AT,
    stamp: { basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId: 'person-ana' },
    assigneeId: 'person-cleo',
    reason: 'she knows the customer',
    overCapacity: false,
    capacity: { load: 0, capacity: 6, caseWeight: 2, agent: true },
  },
});

describe('ResolveCaseHandler and GetCaseQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const resolve = new ResolveCaseHandler(store, () => NOW);
  const get = new GetCaseQuery(store);
  const given = async (caseId: string, commands: ((id: string) => CaseCommand)[]) => {
    for (const command of commands) await handleCommand(store, caseStreamName(caseId), caseDecider, command(caseId));
  };
  afterAll(() => store.close());

  it('resolves the version the caller saw, and the query reads it back', async () => {
    await given('c-1', [register, assign]);
    const result = await resolve.execute({ caseId: 'c-1', resolution: 'repaired', expectedVersion: 1 }, actor);
    expect(result).toMatchObject({ version: 2, events: ['CaseResolved'], case: { status: 'resolved', resolution: 'repaired' } });
    expect(await get.execute('c-1')).toMatchObject({ version: 2, case: { status: 'resolved', resolvedAt: AT } });
  });

  it('refuses a stale version with a conflict, and a case nobody holds', async () => {
    await given('c-2', [register, assign]);
    await expect(resolve.execute({ caseId: 'c-2', expectedVersion: 0 }, actor)).rejects.toThrow(WrongExpectedRevisionError);
    await given('c-3', [register]);
    await expect(resolve.execute({ caseId: 'c-3' }, actor)).rejects.toThrow(CaseNotAssignedError);
  });

  it('answers not found for an unknown case, with or without a version', async () => {
    await expect(resolve.execute({ caseId: 'c-none', expectedVersion: 0 }, actor)).rejects.toThrow(CaseNotFoundError);
    await expect(resolve.execute({ caseId: 'c-none' }, actor)).rejects.toThrow(CaseNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(CaseNotFoundError);
  });
});
