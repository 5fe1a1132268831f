import { assertNever, type Decider } from '@leadership/kernel';
import { diffFields, jsonEqual, uniqueSorted } from '../shared/collections';
import {
  AUTHORITY_PATTERN,
  MAX_TASK_TYPE_PERIOD_DAYS,
  TASK_TYPE_KEY_PATTERN,
  type TaskTypeDefinition,
} from './task-type';
import type { ChangeTaskType, DefineTaskType, TaskTypeCommand } from './task-type.commands';
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

/** State of one catalogue entry's stream (`tasktype-<key>`). */
export type TaskTypeState =
  | { readonly status: 'undefined' }
  | { readonly status: 'defined'; readonly definition: TaskTypeDefinition };

/** Throws the first broken rule of a definition; returns it normalised (authorities sorted, deduplicated). */
export function validateTaskTypeDefinition(definition: TaskTypeDefinition): TaskTypeDefinition {
  if (!TASK_TYPE_KEY_PATTERN.test(definition.key)) throw new InvalidTaskTypeKeyError(definition.key);
  if (definition.title.trim().length === 0) throw new MissingTaskTypeTitleError(definition.key);
  if (definition.grantableAuthorities.length === 0) throw new TaskTypeWithoutAuthoritiesError(definition.key);
  const malformed = definition.grantableAuthorities.filter((authority) => !AUTHORITY_PATTERN.test(authority));
  if (malformed.length > 0) throw new InvalidAuthorityError(definition.key, malformed);
  const days = definition.maxPeriodDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TASK_TYPE_PERIOD_DAYS) {
    throw new InvalidTaskTypePeriodError(definition.key, days);
  }
  return { ...definition, title: definition.title.trim(), grantableAuthorities: uniqueSorted(definition.grantableAuthorities) };
}

function define(command: DefineTaskType, state: TaskTypeState): readonly TaskTypeEvent[] {
  const definition = validateTaskTypeDefinition(command.data.definition);
  if (state.status === 'defined') {
    // A retried definition is harmless; a different one must go through ChangeTaskType (audited as a change).
    if (jsonEqual(state.definition, definition)) return [];
    throw new TaskTypeAlreadyDefinedError(definition.key);
  }
  return [{ type: 'TaskTypeDefined', data: { definition, actorId: command.data.actorId, at: command.data.at } }];
}

function change(command: ChangeTaskType, state: TaskTypeState): readonly TaskTypeEvent[] {
  if (state.status !== 'defined') throw new TaskTypeNotDefinedError(command.data.key);
  const next = validateTaskTypeDefinition({ ...state.definition, ...command.data.changes, key: state.definition.key });
  const fields = (Object.keys(next) as (keyof TaskTypeDefinition)[]).filter((field) => field !== 'key');
  const { changes, previous, changed } = diffFields(state.definition, next, fields);
  if (changed.length === 0) return [];
  return [
    {
      type: 'TaskTypeChanged',
      data: {
        key: state.definition.key,
        changes,
        previous,
        actorId: command.data.actorId,
        at: command.data.at,
      },
    },
  ];
}

/** Catalogue entry decider: admins define and change task types; every change is an audited event. */
export const taskTypeDecider: Decider<TaskTypeCommand, TaskTypeEvent, TaskTypeState> = {
  initialState: () => ({ status: 'undefined' }),
  decide(command, state) {
    switch (command.type) {
      case 'DefineTaskType':
        return define(command, state);
      case 'ChangeTaskType':
        return change(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'TaskTypeDefined':
        return { status: 'defined', definition: event.data.definition };
      case 'TaskTypeChanged':
        return state.status === 'defined'
          ? { status: 'defined', definition: { ...state.definition, ...event.data.changes } }
          : state;
      default:
        return assertNever(event);
    }
  },
};
