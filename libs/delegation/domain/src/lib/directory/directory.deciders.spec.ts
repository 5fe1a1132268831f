import { DeciderSpecification } from '@leadership/kernel/testing';
import { personOf, type Absence, type PersonRecord, type Unit } from './directory';
import {
  DuplicateAbsenceIdError,
  InvalidAbsenceError,
  InvalidDirectoryIdError,
  InvalidEmailError,
  InvalidLocaleError,
  InvalidSkillError,
  MissingNameError,
  UnitOwnParentError,
  UnknownPersonError,
} from './directory.errors';
import type { PersonEvent, UnitEvent } from './directory.events';
import { personDecider } from './person.decider';
import { unitDecider } from './unit.decider';

const actorId = 'hr-sync';
const at = '2025-03-01T08:00:00Z';
const later = '2025-03-02T08:00:00Z';

describe('unit decider', () => {
  const given = DeciderSpecification.for(unitDecider);
  const unit: Unit = { id: 'u-sales', name: 'Sales', parentId: 'u-root', managerIds: ['p-2', 'p-1'] };
  const registered: UnitEvent = {
    type: 'UnitRegistered',
    data: { unit: { ...unit, managerIds: ['p-1', 'p-2'] }, actorId, at },
  };
  const upsert = (changes: Partial<Unit>) => ({
    type: 'UpsertUnit' as const,
    data: { unit: { ...unit, ...changes }, actorId, at: later },
  });

  it('registers an unknown unit with managers sorted', () => {
    given([]).when({ type: 'UpsertUnit', data: { unit, actorId, at } }).then([registered]);
  });

  it('is a no-op when nothing changed (manager order and name padding do not count)', () => {
    given([registered]).when(upsert({ name: ' Sales ', managerIds: ['p-1', 'p-2', 'p-1'] })).thenNothingHappens();
  });

  it('reports name and parent changes with their previous values', () => {
    given([registered])
      .when(upsert({ name: 'Sales & Marketing', parentId: null }))
      .then([
        {
          type: 'UnitChanged',
          data: {
            unitId: 'u-sales',
            changes: { name: 'Sales & Marketing', parentId: null },
            previous: { name: 'Sales', parentId: 'u-root' },
            actorId,
            at: later,
          },
        },
      ]);
  });

  it('reports removed and added managers separately, for the scheduler', () => {
    given([registered])
      .when(upsert({ managerIds: ['p-2', 'p-3'] }))
      .then([
        {
          type: 'UnitManagersChanged',
          data: { unitId: 'u-sales', added: ['p-3'], removed: ['p-1'], managerIds: ['p-2', 'p-3'], actorId, at: later },
        },
      ]);
  });

  it('emits both events when name and managers change, and evolve applies both', () => {
    const state = unitDecider.evolve(unitDecider.initialState(), registered);
    const events = unitDecider.decide(upsert({ name: 'Field sales', managerIds: [] }), state);
    expect(events.map((event) => event.type)).toEqual(['UnitChanged', 'UnitManagersChanged']);
    expect(events.reduce(unitDecider.evolve, state)).toEqual({
      status: 'registered',
      unit: { id: 'u-sales', name: 'Field sales', parentId: 'u-root', managerIds: [] },
    });
  });

  it('refuses a unit that is its own parent', () => {
    given([]).when(upsert({ parentId: 'u-sales' })).thenThrows(UnitOwnParentError, 'directory.unit-own-parent');
    given([registered]).when(upsert({ parentId: 'u-sales' })).thenThrows(UnitOwnParentError, 'directory.unit-own-parent');
  });

  it('refuses an empty name', () => {
    given([]).when(upsert({ name: '' })).thenThrows(MissingNameError, 'directory.missing-name');
  });

  it.each([{ id: 'has space' }, { id: '' }, { parentId: '-x' }, { managerIds: ['ok', 'not ok'] }])(
    'refuses malformed ids %p',
    (changes) => {
      given([]).when(upsert(changes)).thenThrows(InvalidDirectoryIdError, 'directory.invalid-id');
    },
  );
});

describe('person decider', () => {
  const given = DeciderSpecification.for(personDecider);
  const person: PersonRecord = { id: 'p-1', displayName: 'Ada Lovelace', email: 'ada@example.org', locale: 'en-GB', unitIds: ['u-b', 'u-a'] };
  const registered: PersonEvent = { type: 'PersonRegistered', data: { person: { ...person, unitIds: ['u-a', 'u-b'], skills: [] }, actorId, at } };
  const upsert = (changes: Partial<PersonRecord>) => ({
    type: 'UpsertPerson' as const,
    data: { person: { ...person, ...changes }, actorId, at: later },
  });

  it('registers an unknown person', () => {
    given([]).when({ type: 'UpsertPerson', data: { person, actorId, at } }).then([registered]);
  });

  it('reports changed fields with their previous values', () => {
    given([registered])
      .when(upsert({ locale: 'de-CH', unitIds: ['u-a'] }))
      .then([
        {
          type: 'PersonChanged',
          data: {
            personId: 'p-1',
            changes: { locale: 'de-CH', unitIds: ['u-a'] },
            previous: { locale: 'en-GB', unitIds: ['u-a', 'u-b'] },
            actorId,
            at: later,
          },
        },
      ]);
  });

  it('is a no-op when nothing changed', () => {
    given([registered]).when(upsert({ unitIds: ['u-a', 'u-b'] })).thenNothingHappens();
  });

  it.each(['ada', 'ada@', '@example.org', 'ada@example', 'a da@example.org', 'ada@@example.org'])(
    'refuses the e-mail "%s" without echoing it',
    (email) => {
      given([])
        .when(upsert({ email }))
        .thenThrows(InvalidEmailError, 'directory.invalid-email', (error) => {
          expect(error.message).not.toContain(email);
          expect(JSON.stringify(error.details)).not.toContain(email);
        });
    },
  );

  it.each(['english', 'EN', 'en_GB', 'en-gb', 'e', ''])('refuses the locale "%s"', (locale) => {
    given([]).when(upsert({ locale })).thenThrows(InvalidLocaleError, 'directory.invalid-locale');
  });

  it.each(['de', 'de-CH', 'zh-Hant-TW', 'es-419'])('accepts the locale "%s"', (locale) => {
    given([registered])
      .when(upsert({ locale }))
      .then([
        { type: 'PersonChanged', data: { personId: 'p-1', changes: { locale }, previous: { locale: 'en-GB' }, actorId, at: later } },
      ]);
  });

  it('refuses an empty display name', () => {
    given([]).when(upsert({ displayName: ' ' })).thenThrows(MissingNameError, 'directory.missing-name');
  });

  it('refuses a malformed membership id', () => {
    given([]).when(upsert({ unitIds: ['u a'] })).thenThrows(InvalidDirectoryIdError, 'directory.invalid-id');
  });

  describe('skills', () => {
    it('registers them sorted and unique', () => {
      given([])
        .when(upsert({ skills: ['motor', 'de', 'motor'] }))
        .then([{ type: 'PersonRegistered', data: { person: { ...person, unitIds: ['u-a', 'u-b'], skills: ['de', 'motor'] }, actorId, at: later } }]);
    });

    it('records a change of skills with the previous ones', () => {
      given([registered])
        .when(upsert({ skills: ['legal'] }))
        .then([{ type: 'PersonChanged', data: { personId: 'p-1', changes: { skills: ['legal'] }, previous: { skills: [] }, actorId, at: later } }]);
    });

    it('keeps them when an upsert leaves them out', () => {
      const withSkills: PersonEvent = { type: 'PersonChanged', data: { personId: 'p-1', changes: { skills: ['legal'] }, previous: { skills: [] }, actorId, at } };
      given([registered, withSkills]).when(upsert({})).thenNothingHappens();
    });

    it('reads a person registered before skills existed as having none', () => {
      const before: PersonEvent = { type: 'PersonRegistered', data: { person: { ...person, unitIds: ['u-a', 'u-b'] }, actorId, at } };
      given([before]).when(upsert({ skills: [] })).thenNothingHappens();
      expect(personDecider.evolve(personDecider.initialState(), before)).toEqual({ status: 'registered', person: { ...person, unitIds: ['u-a', 'u-b'], skills: [], absences: [] } });
    });

    it.each(['has space', '', '-lead', 'x'.repeat(65)])('refuses the skill "%s"', (skill) => {
      given([]).when(upsert({ skills: [skill] })).thenThrows(InvalidSkillError, 'directory.invalid-skill');
    });

    it('refuses more than 100 skills', () => {
      given([]).when(upsert({ skills: Array.from({ length: 101 }, (_, i) => `s${i}`) })).thenThrows(InvalidSkillError, 'directory.invalid-skill');
    });
  });

  describe('absences', () => {
    const setAbsences = (absences: readonly Absence[]) => ({ type: 'SetPersonAbsences' as const, data: { personId: 'p-1', absences, actorId: 'p-1', at: later } });
    const summer: Absence = { absenceId: 'summer', from: '2025-07-01T00:00:00+02:00', to: '2025-07-15T00:00:00+02:00' };
    const course: Absence = { absenceId: 'course', from: '2025-05-05T08:00:00Z', to: '2025-05-06T16:00:00Z' };
    const stored = (absences: readonly Absence[]): PersonEvent => ({ type: 'PersonAbsencesChanged', data: { personId: 'p-1', absences, actorId: 'p-1', at: later } });

    it('replaces them, in UTC and ordered by start', () => {
      given([registered])
        .when(setAbsences([summer, course]))
        .then([
          stored([
            { absenceId: 'course', from: '2025-05-05T08:00:00.000Z', to: '2025-05-06T16:00:00.000Z' },
            { absenceId: 'summer', from: '2025-06-30T22:00:00.000Z', to: '2025-07-14T22:00:00.000Z' },
          ]),
        ]);
    });

    it('is a no-op for the same periods written differently, and clears them with an empty list', () => {
      const current = stored([{ absenceId: 'summer', from: '2025-06-30T22:00:00.000Z', to: '2025-07-14T22:00:00.000Z' }]);
      given([registered, current]).when(setAbsences([summer])).thenNothingHappens();
      given([registered, current]).when(setAbsences([])).then([stored([])]);
      expect(personDecider.evolve({ status: 'registered', person: personOf(person) }, current)).toMatchObject({ person: { absences: [{ absenceId: 'summer' }] } });
    });

    it('refuses a person the directory does not know', () => {
      given([]).when(setAbsences([summer])).thenThrows(UnknownPersonError, 'directory.unknown-person');
    });

    it.each([
      ['an end before the start', { ...summer, to: summer.from }],
      ['a local time', { ...summer, from: '2025-07-01T00:00:00' }],
      ['a date', { ...summer, to: '2025-07-15' }],
      ['a malformed id', { ...summer, absenceId: 'a b' }],
    ])('refuses %s', (_, absence) => {
      given([registered]).when(setAbsences([absence])).thenThrows(InvalidAbsenceError, 'directory.invalid-absence');
    });

    it('refuses two periods with one id, and more than 200 periods', () => {
      given([registered]).when(setAbsences([summer, { ...course, absenceId: 'summer' }])).thenThrows(DuplicateAbsenceIdError, 'directory.duplicate-absence-id');
      const many = Array.from({ length: 201 }, (_, i) => ({ absenceId: `a${i}`, from: `2026-01-01T00:00:00Z`, to: `2026-01-02T00:00:00Z` }));
      given([registered]).when(setAbsences(many)).thenThrows(InvalidAbsenceError, 'directory.invalid-absence');
    });
  });
});
