import { planStreamName, type PersonChange } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { BEN, CLEO, NINA, onboardingWorld, programmeSteps, UNIT } from '../../spec/onboarding-world.fixture';
import { DirectoryPersonHandler, DIRECTORY_ACTOR } from './directory-person.handler';
import { InMemoryOnboardingPeople } from './onboarding-people.port';
import { GenerateDraftPlanHandler } from '../plan/generate-draft-plan/generate-draft-plan.handler';

const OTTO = 'person-otto';
const DEFINED = '2026-10-19T07:00:00.000Z';
const JOINED = '2026-10-19T08:00:00.000Z';

describe('draft plans from the directory (PersonChanged, on a real event store)', () => {
  const clock = { now: new Date(DEFINED) };
  const person = (personId: string, version: number, unitIds: string[], occurredAt = JOINED): PersonChange => ({ personId, version, unitIds, skills: [], absences: [], occurredAt });

  async function supportDoesOnboarding() {
    const store = openTestEventStore();
    clock.now = new Date(DEFINED);
    const world = onboardingWorld(store, clock);
    await world.programmes.execute({ programmeId: 'support-basics', unitId: UNIT, title: 'Support basics', steps: programmeSteps }, { actorId: CLEO });
    clock.now = new Date('2026-10-19T08:00:05.000Z');
    return { store, world };
  }

  it('drafts a plan for a person registered into a unit that does onboarding, once however often the message comes', async () => {
    const { store, world } = await supportDoesOnboarding();
    expect(await world.directory.onPersonChanged(person(NINA, 0, [UNIT]), { causationId: 'ce-1' })).toEqual({ decision: { kind: 'draft', unitId: UNIT }, drafted: true, releasedAbsent: 0 });
    const stored = await store.readStream(planStreamName(NINA));
    expect(stored.map((e) => [e.type, e.metadata['actor'], e.metadata['causationId']])).toEqual([['PlanDrafted', DIRECTORY_ACTOR, 'ce-1']]);
    // Redelivered: the projection has that version.
    expect(await world.directory.onPersonChanged(person(NINA, 0, [UNIT]), {})).toEqual({ decision: { kind: 'stale' }, drafted: false, releasedAbsent: 0 });
    expect(await store.readStream(planStreamName(NINA))).toHaveLength(1);
    expect(await world.people.person(NINA)).toMatchObject({ version: 0, unitIds: [UNIT] });
    // The onboarding manager generates the plan on the draft.
    const created = await world.newcomers.execute({ personId: NINA, unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['support-basics'] }, { actorId: CLEO });
    expect(created.plan).toMatchObject({ status: 'active', organiserId: CLEO });
  });

  it('drafts for a membership added to a person known before; a person who has a plan keeps it', async () => {
    const { store, world } = await supportDoesOnboarding();
    expect(await world.directory.onPersonChanged(person(OTTO, 0, []), {})).toMatchObject({ decision: { kind: 'none', reason: 'no-new-membership' } });
    expect(await world.directory.onPersonChanged(person(OTTO, 1, ['sales', UNIT]), {})).toEqual({ decision: { kind: 'draft', unitId: UNIT }, drafted: true, releasedAbsent: 0 });
    expect(await world.directory.onPersonChanged(person(OTTO, 2, ['sales']), {})).toMatchObject({ decision: { kind: 'none' } });
    // Back in support later: the plan is there already.
    expect(await world.directory.onPersonChanged(person(OTTO, 3, ['sales', UNIT]), {})).toEqual({ decision: { kind: 'draft', unitId: UNIT }, drafted: false, releasedAbsent: 0 });
    expect(await store.readStream(planStreamName(OTTO))).toHaveLength(1);
  });

  it('drafts nothing when a new consumer group reads the compacted topic from the beginning (everyone first seen after registration)', async () => {
    const { store, world } = await supportDoesOnboarding();
    const fresh = new DirectoryPersonHandler(new InMemoryOnboardingPeople(), world.board, new GenerateDraftPlanHandler(store, () => clock.now), world.choices, () => clock.now);
    expect(await fresh.onPersonChanged(person(BEN, 4, [UNIT]), {})).toMatchObject({ decision: { kind: 'none', reason: 'first-seen-after-registration' }, drafted: false });
    expect(await store.readStream(planStreamName(BEN))).toEqual([]);
  });

  it('drafts nothing for old history, nor for staff registered before the unit did onboarding', async () => {
    const { store, world } = await supportDoesOnboarding();
    expect(await world.directory.onPersonChanged(person('person-old', 0, [UNIT], '2026-09-01T08:00:00.000Z'), {})).toMatchObject({ decision: { kind: 'none', reason: 'too-old' } });
    expect(await world.directory.onPersonChanged(person('person-early', 0, [UNIT], '2026-10-19T06:59:00.000Z'), {})).toMatchObject({ decision: { kind: 'none', reason: 'unit-without-onboarding' } });
    expect(await store.readStream(planStreamName('person-old'))).toEqual([]);
    expect(await store.readStream(planStreamName('person-early'))).toEqual([]);
  });

  it('keeps skills and absences from the directory; a message without them (published before they existed) leaves what was known', async () => {
    const { world } = await supportDoesOnboarding();
    const away = [{ from: '2026-11-02T00:00:00.000Z', to: '2026-11-07T00:00:00.000Z' }];
    await world.directory.onPersonChanged({ ...person(BEN, 1, [UNIT]), skills: ['Billing'], absences: away }, {});
    expect((await world.people.withSkill(' billing')).map((p) => p.personId)).toEqual([BEN]);
    const { skills: _skills, absences: _absences, ...older } = person(BEN, 2, [UNIT, 'claims']);
    await world.directory.onPersonChanged(older, {});
    expect(await world.people.person(BEN)).toEqual({ personId: BEN, version: 2, unitIds: [UNIT, 'claims'], skills: ['Billing'], absences: away });
    await world.directory.onPersonChanged(person(BEN, 3, [UNIT]), {});
    expect(await world.people.person(BEN)).toMatchObject({ version: 3, skills: [], absences: [] });
  });

  it('a crash between the draft and the projection write is made up by the redelivery, without a second draft', async () => {
    const { store, world } = await supportDoesOnboarding();
    const drafts = new GenerateDraftPlanHandler(store, () => clock.now);
    await drafts.execute({ newcomerId: NINA, unitId: UNIT }, { actorId: DIRECTORY_ACTOR });
    expect(await world.directory.onPersonChanged(person(NINA, 0, [UNIT]), {})).toEqual({ decision: { kind: 'draft', unitId: UNIT }, drafted: false, releasedAbsent: 0 });
    expect(await store.readStream(planStreamName(NINA))).toHaveLength(1);
    expect(await world.people.person(NINA)).toMatchObject({ version: 0 });
  });
});
