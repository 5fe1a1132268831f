import { assertNever, type Decider } from '@leadership/kernel';
import { diffFields } from '../shared/collections';
import type { Person } from './directory';
import type { UpsertPerson } from './directory.commands';
import type { PersonEvent } from './directory.events';
import { validatePerson } from './directory.validation';

/** State of one person's stream (`person-<id>`). */
export type PersonState = { readonly status: 'unknown' } | { readonly status: 'registered'; readonly person: Person };

export type PersonCommand = UpsertPerson;

function upsert(command: UpsertPerson, state: PersonState): readonly PersonEvent[] {
  const { actorId, at } = command.data;
  const person = validatePerson(command.data.person);
  if (state.status === 'unknown') return [{ type: 'PersonRegistered', data: { person, actorId, at } }];
  const { changes, previous, changed } = diffFields(state.person, person, ['displayName', 'email', 'locale', 'unitIds']);
  if (changed.length === 0) return [];
  return [{ type: 'PersonChanged', data: { personId: person.id, changes, previous, actorId, at } }];
}

/**
 * Person decider. Checks the person's own fields; whether the units of the memberships exist is
 * known only to the caller's projection (and the bulk-import planner checks it).
 */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'UpsertPerson':
        return upsert(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PersonRegistered':
        return { status: 'registered', person: event.data.person };
      case 'PersonChanged':
        return state.status === 'registered'
          ? { status: 'registered', person: { ...state.person, ...event.data.changes } }
          : state;
      default:
        return assertNever(event);
    }
  },
};
