import { WrongExpectedRevisionError } from '@leadership/event-store';
import { CaseNotFoundError } from '@leadership/case-distribution-domain';
import { openTestEventStore } from '@leadership/testing';
import { GetCaseQuery } from '../get-case/get-case.query';
import { RegisterCaseHandler } from '../register-case/register-case.handler';
import { CloseCaseHandler } from './close-case.handler';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const actor = { actorId: 'person-ana' };

describe('CloseCaseHandler and GetCaseQuery (on a real SQLite event store)', () => {
  const store = openTestEventStore();
  const register = new RegisterCaseHandler(store, () => NOW);
  const close = new CloseCaseHandler(store, () => NOW);
  const get = new GetCaseQuery(store);
  afterAll(() => store.close());

  it('closes the version the caller saw, and the query reads it back', async () => {
    await register.execute({ caseId: 'c-1', title: 'To close' }, actor);
    const result = await close.execute({ caseId: 'c-1', reason: 'done', expectedVersion: 0 }, actor);
    expect(result).toMatchObject({ version: 1, events: ['CaseClosed'], case: { status: 'closed', closeReason: 'done' } });
    expect(await get.execute('c-1')).toMatchObject({ version: 1, case: { status: 'closed', closedAt: NOW.toISOString() } });
  });

  it('refuses a stale version with a conflict', async () => {
    await register.execute({ caseId: 'c-2', title: 'Stale' }, actor);
    await close.execute({ caseId: 'c-2', reason: 'first' }, actor);
    await expect(close.execute({ caseId: 'c-2', reason: 'second', expectedVersion: 0 }, actor)).rejects.toThrow(WrongExpectedRevisionError);
  });

  it('answers not found for an unknown case, with or without a version', async () => {
    await expect(close.execute({ caseId: 'c-none', reason: 'x', expectedVersion: 0 }, actor)).rejects.toThrow(CaseNotFoundError);
    await expect(close.execute({ caseId: 'c-none', reason: 'x' }, actor)).rejects.toThrow(CaseNotFoundError);
    await expect(get.execute('c-none')).rejects.toThrow(CaseNotFoundError);
  });
});
