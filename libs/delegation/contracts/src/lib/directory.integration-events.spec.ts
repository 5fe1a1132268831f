import { PersonChanged } from './directory.integration-events';

describe('PersonChanged (v1)', () => {
  const before = { personId: 'p1', version: 0, locale: 'de-CH', unitIds: ['claims'], occurredAt: '2026-01-01T00:00:00.000Z' };

  it('still reads messages published before skills and absences were added', () => {
    expect(PersonChanged.parse(before)).toEqual(before);
  });

  it('reads skills and absence periods', () => {
    const now = { ...before, skills: ['de'], absences: [{ from: '2026-07-01T00:00:00.000Z', to: '2026-07-15T00:00:00.000Z' }] };
    expect(PersonChanged.parse(now)).toEqual(now);
  });

  it('carries no reason or id with an absence period', () => {
    expect(PersonChanged.safeParse({ ...before, absences: [{ from: '2026-07-01T00:00:00.000Z', to: '2026-07-15T00:00:00.000Z', reason: 'sick leave' }] }).success).toBe(false);
    expect(PersonChanged.safeParse({ ...before, absences: [{ absenceId: 'a1', from: '2026-07-01T00:00:00.000Z', to: '2026-07-15T00:00:00.000Z' }] }).success).toBe(false);
  });
});
