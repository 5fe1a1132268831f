import type { EventStore } from '@leadership/event-store';
import { openTestEventStore } from '@leadership/testing';
import { DELEGATE, FROM, MANAGER, MANDATE_ID, UNIT, UNTIL, accepted, activated, givenDirectory, givenMandate, proposed } from '../../spec/delegation-world.fixture';
import { RevokeMandateHandler } from '../mandate/revoke-mandate/revoke-mandate.handler';
import { CurrentAuthority } from './current-authority';

const DURING = '2026-05-01T09:00:00.000Z';
const assign = { personId: DELEGATE, authority: 'cases.assign', unitId: UNIT, queueId: 'motor' };

describe('CurrentAuthority (authority now, from the local event store)', () => {
  let store: EventStore;
  let authority: CurrentAuthority;

  beforeEach(async () => {
    store = openTestEventStore();
    await givenDirectory(store);
    await givenMandate(store, [proposed(), accepted(), activated()]);
    authority = new CurrentAuthority(store);
  });
  afterEach(() => store.close());

  it('answers from the mandates in force, naming the mandate and its version', async () => {
    expect(await authority.check({ ...assign, at: DURING })).toMatchObject({ allowed: true, basis: 'mandate', mandateId: MANDATE_ID, mandateVersion: 2 });
    expect(await authority.check({ ...assign, personId: MANAGER, at: DURING })).toMatchObject({ allowed: true, basis: 'formal-manager' });
    expect((await authority.why({ ...assign, at: DURING }))?.chain.map((link) => link.kind)).toEqual(['mandate', 'formal-manager']);
  });

  it('sees a revocation in the very next answer: each answer first reads what was committed before it', async () => {
    expect(await authority.check({ ...assign, at: DURING })).toMatchObject({ allowed: true });
    await new RevokeMandateHandler(store, () => new Date(DURING)).execute({ mandateId: MANDATE_ID, reason: 'Reorganisation' }, { actorId: MANAGER });
    expect(await authority.check({ ...assign, at: DURING })).toMatchObject({ allowed: false, mandateId: MANDATE_ID, mandateVersion: 3 });
  });

  it('leaves a question about a time before the versions in force to the read model (undefined)', async () => {
    // Activated at FROM: asked about the day before, the answer would need the accepted version.
    expect(await authority.check({ ...assign, at: '2026-04-01T00:00:00.000Z' })).toBeUndefined();
    expect(await authority.check({ ...assign, at: FROM })).toMatchObject({ allowed: true });
  });

  it('gives the scheduler the live mandates and the units as they stand', async () => {
    expect((await authority.liveMandates()).map((m) => [m.mandateId, m.status, m.version, m.period.until])).toEqual([[MANDATE_ID, 'active', 2, UNTIL]]);
    expect((await authority.currentUnits()).map((u) => u.id).sort()).toEqual(['claims', 'root']);
    await new RevokeMandateHandler(store, () => new Date(DURING)).execute({ mandateId: MANDATE_ID, reason: 'Reorganisation' }, { actorId: MANAGER });
    expect(await authority.liveMandates()).toEqual([]);
  });
});
