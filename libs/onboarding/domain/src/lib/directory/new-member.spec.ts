import { newMember, type KnownPerson, type PersonChange } from './new-member';

const NOW = '2026-10-19T07:00:00.000Z';
const SUPPORT_SINCE = '2026-10-10T00:00:00.000Z';
const onboardingSince = (unitId: string) => ({ support: SUPPORT_SINCE, claims: '2026-01-01T00:00:00.000Z' })[unitId];
const known = (version: number, unitIds: string[]): KnownPerson => ({ personId: 'person-nina', version, unitIds, skills: [], absences: [] });
const change = (version: number, unitIds: string[], occurredAt = '2026-10-18T12:00:00.000Z'): PersonChange => ({ ...known(version, unitIds), occurredAt });
const decide = (before: KnownPerson | undefined, after: PersonChange) => newMember({ known: before, change: after, now: NOW, onboardingSince });

describe('newMember (which PersonChanged drafts a plan)', () => {
  it('drafts for a registration (version 0) into a unit that does onboarding', () => {
    expect(decide(undefined, change(0, ['support']))).toEqual({ kind: 'draft', unitId: 'support' });
  });

  it('drafts for a membership added to a person known before, in the first added unit that does onboarding', () => {
    expect(decide(known(3, ['sales']), change(4, ['sales', 'marketing', 'claims', 'support']))).toEqual({ kind: 'draft', unitId: 'claims' });
  });

  it('does not draft for a person first seen after their registration: a new consumer group reads the compacted topic from the beginning', () => {
    expect(decide(undefined, change(7, ['support']))).toEqual({ kind: 'none', reason: 'first-seen-after-registration' });
  });

  it('does not draft when no unit was added (a locale change, a unit left)', () => {
    expect(decide(known(3, ['support']), change(4, ['support']))).toEqual({ kind: 'none', reason: 'no-new-membership' });
    expect(decide(known(3, ['support', 'claims']), change(4, ['claims']))).toEqual({ kind: 'none', reason: 'no-new-membership' });
    expect(decide(undefined, change(0, []))).toEqual({ kind: 'none', reason: 'no-new-membership' });
  });

  it('does not draft for old history replayed (older than the window), nor when the version is not newer (redelivery)', () => {
    expect(decide(undefined, change(0, ['claims'], '2026-09-20T00:00:00.000Z'))).toEqual({ kind: 'none', reason: 'too-old' });
    expect(newMember({ known: undefined, change: change(0, ['claims'], '2026-09-20T00:00:00.000Z'), now: NOW, onboardingSince, windowDays: 60 })).toEqual({ kind: 'draft', unitId: 'claims' });
    expect(decide(known(4, ['sales']), change(4, ['sales', 'support']))).toEqual({ kind: 'stale' });
    expect(decide(known(5, ['sales']), change(4, ['sales', 'support']))).toEqual({ kind: 'stale' });
  });

  it('does not draft into a unit without onboarding when the person joined (the staff imported before a programme existed)', () => {
    expect(decide(undefined, change(0, ['marketing']))).toEqual({ kind: 'none', reason: 'unit-without-onboarding' });
    expect(decide(undefined, change(0, ['support'], '2026-10-09T23:59:59.000Z'))).toEqual({ kind: 'none', reason: 'unit-without-onboarding' });
    expect(decide(undefined, change(0, ['support'], SUPPORT_SINCE))).toEqual({ kind: 'draft', unitId: 'support' });
  });
});
