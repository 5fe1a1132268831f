import { MandateChanged, type MandateSnapshot } from '@leadership/delegation-contracts';
import { InMemoryAuthorityStore } from './in-memory-authority.store';
import {
  AuthorityProjection,
  AuthorityProjectionNotReadyError,
  AuthorityVersionTimeoutError,
  type MandateChangedData,
  type UnitChangedData,
} from './authority.projection';

const example = MandateChanged.examples[0]!;
const at = '2026-03-01T00:00:00.000Z';

function mandateChanged(version: number, mandate: Partial<MandateSnapshot> = {}): MandateChangedData {
  const snapshot = { ...example.mandate, ...mandate };
  return { ...example, mandateId: snapshot.mandateId, version, mandate: snapshot };
}

function unitChanged(unitId: string, version: number, managerIds: string[], parentId: string | null = null): UnitChangedData {
  return { unitId, version, name: unitId, parentId, managerIds, removedManagerIds: [], occurredAt: '2026-01-01T00:00:00.000Z' };
}

const revoked: Partial<MandateSnapshot> = { status: 'ended', endedAt: '2026-02-15T00:00:00.000Z', endReason: 'revoked' };
const annaAssigns = { personId: 'person-anna', authority: 'cases.assign', unitId: 'unit-claims', queueId: 'queue-motor', at };

async function loadedProjection(store = new InMemoryAuthorityStore()): Promise<AuthorityProjection> {
  const projection = new AuthorityProjection(store);
  await projection.load();
  await projection.applyUnitChanged(unitChanged('unit-root', 0, ['person-ceo']));
  await projection.applyUnitChanged(unitChanged('unit-claims', 0, ['person-manager-1'], 'unit-root'));
  return projection;
}

describe('AuthorityProjection', () => {
  describe('applying events', () => {
    it('keeps the highest version per mandate: older and repeated versions change neither store nor memory', async () => {
      const store = new InMemoryAuthorityStore();
      const projection = await loadedProjection(store);

      expect(await projection.applyMandateChanged(mandateChanged(2))).toBe('applied');
      expect(await projection.applyMandateChanged(mandateChanged(3, revoked))).toBe('applied');
      expect(await projection.applyMandateChanged(mandateChanged(2))).toBe('stale');
      expect(await projection.applyMandateChanged(mandateChanged(3, revoked))).toBe('stale');

      expect(projection.mandateVersion(example.mandateId)).toBe(3);
      expect((await store.findMandate(example.mandateId))?.version).toBe(3);
      expect(projection.may(annaAssigns)).toMatchObject({ allowed: false, reason: expect.stringMatching(/revoked/) });
    });

    it('keeps the highest version per unit', async () => {
      const projection = await loadedProjection();
      expect(await projection.applyUnitChanged(unitChanged('unit-claims', 1, ['person-anna'], 'unit-root'))).toBe('applied');
      expect(await projection.applyUnitChanged(unitChanged('unit-claims', 0, ['person-manager-1'], 'unit-root'))).toBe('stale');

      expect(projection.unitVersion('unit-claims')).toBe(1);
      expect(projection.may({ ...annaAssigns, personId: 'person-manager-1' }).allowed).toBe(false);
      expect(projection.may(annaAssigns)).toMatchObject({ allowed: true, basis: 'formal-manager' });
    });

    it('takes a newer version from the store when the store refuses the write but memory is behind (another instance wrote it)', async () => {
      const store = new InMemoryAuthorityStore();
      const mine = await loadedProjection(store);
      const other = await loadedProjection(store);
      await other.applyMandateChanged(mandateChanged(3, revoked));

      // The same event reaches this instance later (a rebalance moved the partition).
      expect(await mine.applyMandateChanged(mandateChanged(3, revoked))).toBe('stale');

      expect(mine.mandateVersion(example.mandateId)).toBe(3);
    });

    it('re-indexes a mandate whose delegate changes between versions', async () => {
      const projection = await loadedProjection();
      await projection.applyMandateChanged(mandateChanged(2));
      await projection.applyMandateChanged(mandateChanged(3, { delegateId: 'person-bob' }));

      expect(projection.may(annaAssigns).allowed).toBe(false);
      expect(projection.may({ ...annaAssigns, personId: 'person-bob' })).toMatchObject({ allowed: true, mandateVersion: 3 });
    });
  });

  describe('what role addresses resolve from', () => {
    it('lists the mandates of a task type in a unit (latest snapshot each), the unit and the mandate itself', async () => {
      const projection = await loadedProjection();
      await projection.applyMandateChanged(mandateChanged(2));
      await projection.applyMandateChanged(mandateChanged(0, { mandateId: 'other-type', taskType: 'onboarding' }));
      await projection.applyMandateChanged(mandateChanged(0, { mandateId: 'other-unit', scope: { unitId: 'unit-root' } }));
      await projection.applyMandateChanged(mandateChanged(3, revoked));
      expect(projection.mandatesOfTaskType('unit-claims', 'case-distribution').map((m) => [m.mandate.mandateId, m.version, m.mandate.status])).toEqual([[example.mandateId, 3, 'ended']]);
      expect(projection.mandatesOfTaskType('unit-claims', 'shift-planning')).toEqual([]);
      expect(projection.unit('unit-claims')).toMatchObject({ parentId: 'unit-root', managerIds: ['person-manager-1'] });
      expect(projection.unit('unit-nowhere')).toBeUndefined();
      expect(projection.mandate(example.mandateId)?.version).toBe(3);
    });
  });

  describe('may', () => {
    it('answers with evaluateAuthority: mandate basis with id and version, formal managers up the tree, unknown units', async () => {
      const projection = await loadedProjection();
      await projection.applyMandateChanged(mandateChanged(2));

      expect(projection.may(annaAssigns)).toEqual({
        allowed: true,
        basis: 'mandate',
        mandateId: example.mandateId,
        mandateVersion: 2,
        reason: expect.any(String),
      });
      expect(projection.may({ ...annaAssigns, personId: 'person-ceo' })).toMatchObject({ allowed: true, basis: 'formal-manager', mandateId: null });
      expect(projection.may({ ...annaAssigns, queueId: 'queue-home' }).allowed).toBe(false);
      expect(projection.may({ ...annaAssigns, unitId: 'unit-x' }).reason).toMatch(/unknown/);
    });

    it('asks about now when no time is given', async () => {
      let now = new Date('2025-12-01T00:00:00.000Z');
      const projection = new AuthorityProjection(new InMemoryAuthorityStore(), { now: () => now });
      await projection.load();
      await projection.applyUnitChanged(unitChanged('unit-claims', 0, []));
      await projection.applyMandateChanged(mandateChanged(2));
      const { at: _at, ...withoutTime } = annaAssigns;

      expect(projection.may(withoutTime).reason).toMatch(/starts at/);
      now = new Date(at);
      expect(projection.may(withoutTime).allowed).toBe(true);
    });

    it('refuses to answer before the warm load, and rejects a malformed time', async () => {
      const projection = new AuthorityProjection(new InMemoryAuthorityStore());
      expect(() => projection.may(annaAssigns)).toThrow(AuthorityProjectionNotReadyError);
      await projection.load();
      expect(() => projection.may({ ...annaAssigns, at: 'yesterday' })).toThrow(RangeError);
    });
  });

  describe('warm load and refresh', () => {
    it('loads what an earlier process stored', async () => {
      const store = new InMemoryAuthorityStore();
      const before = await loadedProjection(store);
      await before.applyMandateChanged(mandateChanged(2));

      const restarted = new AuthorityProjection(store);
      await restarted.load();

      expect(restarted.size).toEqual({ mandates: 1, units: 2 });
      expect(restarted.may(annaAssigns)).toEqual(before.may(annaAssigns));
    });

    it('merges what other instances wrote since the last read, never going back to an older version', async () => {
      let now = new Date('2026-01-01T00:00:00.000Z');
      const store = new InMemoryAuthorityStore(() => now);
      const mine = new AuthorityProjection(store, { now: () => now, refreshOverlapMs: 1000 });
      const other = new AuthorityProjection(store, { now: () => now });
      await Promise.all([mine.load(), other.load()]);
      await mine.applyMandateChanged(mandateChanged(4));

      now = new Date('2026-01-01T00:01:00.000Z');
      await other.applyUnitChanged(unitChanged('unit-claims', 0, ['person-manager-1']));
      await other.applyMandateChanged(mandateChanged(2));

      expect(await mine.refresh()).toBe(1);
      expect(mine.unitVersion('unit-claims')).toBe(0);
      expect(mine.mandateVersion(example.mandateId)).toBe(4);
    });
  });

  describe('waitForMandateVersion', () => {
    it('resolves at once when the version is there, and when a later apply brings it', async () => {
      const projection = await loadedProjection();
      await projection.applyMandateChanged(mandateChanged(2));
      await expect(projection.waitForMandateVersion(example.mandateId, 1, 10)).resolves.toBeUndefined();

      const waiting = projection.waitForMandateVersion(example.mandateId, 4, 5000);
      await projection.applyMandateChanged(mandateChanged(3));
      await projection.applyMandateChanged(mandateChanged(5, revoked));

      await expect(waiting).resolves.toBeUndefined();
    });

    it('finds a version another instance stored', async () => {
      const store = new InMemoryAuthorityStore();
      const mine = await loadedProjection(store);
      await store.saveMandate({ version: 7, mandate: example.mandate });

      await expect(mine.waitForMandateVersion(example.mandateId, 7, 10)).resolves.toBeUndefined();
      expect(mine.mandateVersion(example.mandateId)).toBe(7);
    });

    it('rejects after the timeout, saying what the projection holds', async () => {
      const projection = await loadedProjection();
      await projection.applyMandateChanged(mandateChanged(2));

      const waiting = projection.waitForMandateVersion(example.mandateId, 3, 30);

      await expect(waiting).rejects.toThrow(AuthorityVersionTimeoutError);
      await expect(waiting).rejects.toMatchObject({ expectedVersion: 3, actualVersion: 2 });
    });
  });
});
