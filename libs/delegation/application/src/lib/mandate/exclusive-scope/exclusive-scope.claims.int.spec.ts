import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestEventStore } from '@leadership/testing';
import { ExclusiveOverlapError } from '@leadership/delegation-domain';
import { DelegationFacts } from '../../facts/delegation.facts';
import { UpsertPersonHandler } from '../../directory/upsert-person/upsert-person.handler';
import { UpsertUnitHandler } from '../../directory/upsert-unit/upsert-unit.handler';
import { scopeClaimStreamName } from './exclusive-scope.claims';
import { DeclineMandateHandler } from '../decline-mandate/decline-mandate.handler';
import { ProposeMandateHandler, type ProposeMandateInput } from '../propose-mandate/propose-mandate.handler';

/*
 * "One case manager per queue" under concurrency: proposals racing through several store
 * connections on one SQLite file (as several service instances would) — exactly one wins, the
 * others are refused naming the winner; a declined winner frees the scope again.
 */
describe('exclusive scope claims', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'exclusive-')), 'events.sqlite');
  const stores = [openTestEventStore(file), openTestEventStore(file), openTestEventStore(file)];
  const now = () => new Date('2026-04-01T09:00:00.000Z');
  const proposers = stores.map((store) => new ProposeMandateHandler(store, now));

  afterAll(() => Promise.all(stores.map((s) => s.close())));

  const input = (mandateId: string, delegateId: string, from = '2026-04-02T00:00:00.000Z'): ProposeMandateInput => ({
    mandateId,
    delegateId,
    taskType: 'case-distribution',
    scope: { unitId: 'claims', queueId: 'motor' },
    direction: { purpose: 'Distribute motor claims', successCriteria: [] },
    framework: { rules: [{ id: 'r', text: 'Fair share', mode: 'enforce' }], reservedDecisions: [], escalationContactId: 'm1' },
    authorities: ['cases.assign'],
    period: { from, until: '2026-06-01T00:00:00.000Z' },
    reviewCadenceDays: 30,
  });

  beforeAll(async () => {
    await new UpsertUnitHandler(stores[0]!, now).execute({ id: 'claims', name: 'Claims', parentId: null, managerIds: ['m1'] }, { actorId: 'hr' });
    for (const id of ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']) {
      await new UpsertPersonHandler(stores[0]!, now).execute({ id, displayName: id, email: `${id}@example.test`, locale: 'en', unitIds: ['claims'] }, { actorId: 'hr' });
    }
  });

  it('lets exactly one of concurrent overlapping proposals win and names it in the refusals', async () => {
    const ids = [0, 1, 2, 3, 4, 5].map((i) => `aaaaaaaa-0000-4000-8000-00000000000${i}`);
    const results = await Promise.allSettled(ids.map((id, i) => proposers[i % proposers.length]!.execute(input(id, `p${i}`), { actorId: 'm1' })));
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const winner = (winners[0] as PromiseFulfilledResult<{ mandateId: string }>).value.mandateId;
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(ExclusiveOverlapError);
      expect((r.reason as ExclusiveOverlapError).details).toMatchObject({ otherMandateId: winner });
    }
    // Refused proposals left no mandate behind.
    for (const id of ids.filter((id) => id !== winner)) expect((await new DelegationFacts(stores[0]!).mandate(id)).value.status).toBe('none');

    // Only the winner claimed the scope: the refused proposals left no claim behind.
    const claimStream = scopeClaimStreamName('case-distribution', { unitId: 'claims', queueId: 'motor' });
    expect((await stores[0]!.readStream(claimStream)).map((e) => (e.data as { mandateId: string }).mandateId)).toEqual([winner]);

    // Once the winner is declined, the scope is free again.
    const delegate = `p${ids.indexOf(winner)}`;
    await new DeclineMandateHandler(stores[0]!, now).execute({ mandateId: winner, reason: 'Not now' }, { actorId: delegate });
    await expect(proposers[1]!.execute(input('bbbbbbbb-0000-4000-8000-000000000001', 'p0'), { actorId: 'm1' })).resolves.toMatchObject({ mandate: { status: 'proposed' } });
  });
});
