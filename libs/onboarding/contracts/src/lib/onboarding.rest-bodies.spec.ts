import { createNewcomerBody, patchPlanBody, presenterRequestBody, putProgrammeBody } from './onboarding.rest-bodies';
import { onboardingFrameworkCheckSchema, onboardingFrameworkChecks } from './framework-checks.catalogue';

describe('onboarding REST bodies', () => {
  it('takes a programme with sessions and tasks as the issue states it', () => {
    const body = {
      unitId: 'unit-support',
      title: 'Support basics',
      steps: [
        { key: 'how-cases-are-distributed', kind: 'session', title: 'How cases are distributed', dayOffset: 5, time: '10:00', durationMinutes: 60, presenter: { role: { taskType: 'case-distribution', unitId: 'unit-support' } } },
        { key: 'laptop', kind: 'task', title: 'Prepare the laptop', dayOffset: -3, owner: 'it' },
        { key: 'reflect', kind: 'task', title: 'Write down questions', dayOffset: 6, owner: { personId: 'person-nina' }, after: 'how-cases-are-distributed' },
      ],
    };
    expect(putProgrammeBody.parse(body)).toEqual(body);
  });

  it('refuses unknown fields, two presenter kinds at once, plain-http links and bad dates', () => {
    const step = { key: 'a', kind: 'session', title: 'A', dayOffset: 0, time: '10:00', durationMinutes: 30 };
    expect(putProgrammeBody.safeParse({ unitId: 'u', title: 't', steps: [{ ...step, colour: 'red' }] }).success).toBe(false);
    expect(putProgrammeBody.safeParse({ unitId: 'u', title: 't', steps: [{ ...step, presenter: { personId: 'p', skill: 's' } }] }).success).toBe(false);
    expect(putProgrammeBody.safeParse({ unitId: 'u', title: 't', steps: [{ ...step, link: 'http://meet.example.com/a' }] }).success).toBe(false);
    expect(putProgrammeBody.safeParse({ unitId: 'u', title: 't', steps: [{ ...step, link: 'https://meet.example.com/a' }] }).success).toBe(true);
    expect(createNewcomerBody.safeParse({ personId: 'p', unitId: 'u', startDate: '2026-02-30', timeZone: 'Europe/Stockholm', programmeIds: ['a'] }).success).toBe(false);
    expect(presenterRequestBody.safeParse({}).success).toBe(false);
  });

  it('takes plan edits in order, with null clearing a field', () => {
    const body = { edits: [{ op: 'change', key: 'laptop', changes: { time: null, dayOffset: -2 } }, { op: 'remove', key: 'reflect', reason: 'not needed' }, { op: 'complete-plan' }] };
    expect(patchPlanBody.parse(body)).toEqual(body);
    expect(patchPlanBody.safeParse({ edits: [{ op: 'remove', key: 'reflect' }] }).success).toBe(false);
  });

  it('catalogues framework checks with strict params under onboarding.* kinds', () => {
    for (const check of onboardingFrameworkChecks) expect(check.kind).toMatch(/^onboarding\.[a-z-]+$/);
    expect(onboardingFrameworkCheckSchema.safeParse({ kind: 'onboarding.max-sessions-per-presenter-per-week', params: { max: 3 } }).success).toBe(true);
    expect(onboardingFrameworkCheckSchema.safeParse({ kind: 'onboarding.max-sessions-per-presenter-per-week', params: { max: 3, extra: 1 } }).success).toBe(false);
  });
});
