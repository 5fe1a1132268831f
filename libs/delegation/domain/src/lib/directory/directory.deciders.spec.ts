import { DeciderSpecification } from '@leadership/kernel/testing';
import type { Person, Unit } from './directory';
import {
  InvalidDirectoryIdError,
  InvalidEmailError,
  InvalidLocaleError,
  MissingNameError,
  UnitOwnParentError,
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
  const person: Person = { id: 'p-1', displayName: 'Ada Lovelace', email: 'ada@example.org', locale: 'en-GB', unitIds: ['u-b', 'u-a'] };
  const registered: PersonEvent = { type: 'PersonRegistered', data: { person: { ...person, unitIds: ['u-a', 'u-b'] }, actorId, at } };
  const upsert = (changes: Partial<Person>) => ({
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
});
