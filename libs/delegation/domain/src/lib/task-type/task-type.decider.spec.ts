import { DeciderSpecification } from '@leadership/kernel/testing';
import { fold } from '@leadership/kernel';
import { DEFAULT_TASK_TYPES, type TaskTypeDefinition } from './task-type';
import { taskTypeDecider } from './task-type.decider';
import type { TaskTypeChanges } from './task-type.commands';
import type { TaskTypeEvent } from './task-type.events';
import {
  InvalidAuthorityError,
  InvalidTaskTypeKeyError,
  InvalidTaskTypePeriodError,
  MissingTaskTypeTitleError,
  TaskTypeAlreadyDefinedError,
  TaskTypeNotDefinedError,
  TaskTypeWithoutAuthoritiesError,
} from './task-type.errors';

const given = DeciderSpecification.for(taskTypeDecider);
const at = '2025-01-10T09:00:00Z';
const actorId = 'admin-1';
const coaching: TaskTypeDefinition = {
  key: 'coaching',
  title: 'Coaching',
  grantableAuthorities: ['coaching.plan', 'calendar.book'],
  exclusive: false,
  requiredScope: 'unit',
  maxPeriodDays: 90,
  allowsRedelegation: false,
};
const normalised: TaskTypeDefinition = { ...coaching, grantableAuthorities: ['calendar.book', 'coaching.plan'] };
const defined: TaskTypeEvent = { type: 'TaskTypeDefined', data: { definition: normalised, actorId, at } };
const define = (definition: TaskTypeDefinition) => ({ type: 'DefineTaskType' as const, data: { definition, actorId, at } });
const change = (changes: TaskTypeChanges) => ({
  type: 'ChangeTaskType' as const,
  data: { key: 'coaching', changes, actorId: 'admin-2', at: '2025-02-01T00:00:00Z' },
});

describe('task type decider', () => {
  describe('DefineTaskType', () => {
    it('defines a new type with sorted, de-duplicated authorities', () => {
      given([])
        .when(define({ ...coaching, grantableAuthorities: [...coaching.grantableAuthorities, 'coaching.plan'] }))
        .then([defined]);
    });

    it('is a no-op when the same definition is defined again', () => {
      given([defined]).when(define(coaching)).thenNothingHappens();
    });

    it('refuses to redefine an existing key differently', () => {
      given([defined])
        .when(define({ ...coaching, title: 'Other' }))
        .thenThrows(TaskTypeAlreadyDefinedError, 'task-type.already-defined');
    });

    it.each(['Coaching', 'coaching_', '-x', 'a--b', '1st', ''])('refuses the key "%s"', (key) => {
      given([]).when(define({ ...coaching, key })).thenThrows(InvalidTaskTypeKeyError, 'task-type.invalid-key');
    });

    it('refuses an empty title', () => {
      given([]).when(define({ ...coaching, title: '  ' })).thenThrows(MissingTaskTypeTitleError, 'task-type.missing-title');
    });

    it('refuses empty authorities', () => {
      given([])
        .when(define({ ...coaching, grantableAuthorities: [] }))
        .thenThrows(TaskTypeWithoutAuthoritiesError, 'task-type.no-authorities');
    });

    it('refuses malformed authorities and names them', () => {
      given([])
        .when(define({ ...coaching, grantableAuthorities: ['cases.assign', 'Cases', 'cases.'] }))
        .thenThrows(InvalidAuthorityError, 'task-type.invalid-authority', (error) =>
          expect(error.authorities).toEqual(['Cases', 'cases.']),
        );
    });

    it.each([0, -1, 1.5, 3661, Number.NaN])('refuses a longest period of %p days', (maxPeriodDays) => {
      given([]).when(define({ ...coaching, maxPeriodDays })).thenThrows(InvalidTaskTypePeriodError, 'task-type.invalid-period');
    });

    it('accepts every default task type', () => {
      for (const definition of DEFAULT_TASK_TYPES) {
        given([]).when(define(definition)).then([{ type: 'TaskTypeDefined', data: { definition, actorId, at } }]);
      }
    });
  });

  describe('ChangeTaskType', () => {
    it('records the changed fields with their previous values', () => {
      given([defined])
        .when(change({ title: 'Coaching & mentoring', maxPeriodDays: 120, exclusive: false }))
        .then([
          {
            type: 'TaskTypeChanged',
            data: {
              key: 'coaching',
              changes: { title: 'Coaching & mentoring', maxPeriodDays: 120 },
              previous: { title: 'Coaching', maxPeriodDays: 90 },
              actorId: 'admin-2',
              at: '2025-02-01T00:00:00Z',
            },
          },
        ]);
    });

    it('may shrink the grantable authorities', () => {
      given([defined])
        .when(change({ grantableAuthorities: ['coaching.plan'] }))
        .then([
          {
            type: 'TaskTypeChanged',
            data: {
              key: 'coaching',
              changes: { grantableAuthorities: ['coaching.plan'] },
              previous: { grantableAuthorities: ['calendar.book', 'coaching.plan'] },
              actorId: 'admin-2',
              at: '2025-02-01T00:00:00Z',
            },
          },
        ]);
    });

    it('is a no-op when nothing changes (authority order does not count)', () => {
      given([defined])
        .when(change({ title: 'Coaching', grantableAuthorities: ['coaching.plan', 'calendar.book'] }))
        .thenNothingHappens();
    });

    it('refuses to change an undefined type', () => {
      given([]).when(change({ title: 'x' })).thenThrows(TaskTypeNotDefinedError, 'task-type.not-defined');
    });

    it('refuses a change that leaves no authorities', () => {
      given([defined])
        .when(change({ grantableAuthorities: [] }))
        .thenThrows(TaskTypeWithoutAuthoritiesError, 'task-type.no-authorities');
    });

    it('applies the change in evolve', () => {
      const changed = taskTypeDecider.decide(change({ exclusive: true }), fold(taskTypeDecider, [defined]));
      expect(fold(taskTypeDecider, [defined, ...changed])).toEqual({
        status: 'defined',
        definition: { ...normalised, exclusive: true },
      });
    });
  });
});
