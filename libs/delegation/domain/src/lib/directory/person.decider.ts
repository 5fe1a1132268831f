import { assertNever, type Decider } from '@leadership/kernel';
import { diffFields, jsonEqual } from '../shared/collections';
import { personOf, type Person, type PersonRecord } from './directory';
import type { SetPersonAbsences, UpsertPerson } from './directory.commands';
import { UnknownPersonError } from './directory.errors';
import type { PersonEvent } from './directory.events';
import { validateAbsences, validatePerson } from './directory.validation';

/** State of one person's stream (`person-<id>`). */
export type PersonState = { readonly status: 'unknown' } | { readonly status: 'registered'; readonly person: Person };

export type PersonCommand = UpsertPerson | SetPersonAbsences;

/** The HR fields an upsert compares; skills only when the upsert names them (left out, they are kept). */
const HR_FIELDS = ['displayName', 'email', 'locale', 'unitIds'] as const;

function upsert(command: UpsertPerson, state: PersonState): readonly PersonEvent[] {
  const { actorId, at } = command.data;
  const record = validatePerson(command.data.person);
  if (state.status === 'unknown') return [{ type: 'PersonRegistered', data: { person: { ...record, skills: record.skills ?? [] }, actorId, at } }];
  const current: PersonRecord = state.person;
  const fields = record.skills === undefined ? HR_FIELDS : ([...HR_FIELDS, 'skills'] as const);
  const { changes, previous, changed } = diffFields(current, { ...current, ...record }, fields);
  if (changed.length === 0) return [];
  return [{ type: 'PersonChanged', data: { personId: record.id, changes, previous, actorId, at } }];
}

function setAbsences(command: SetPersonAbsences, state: PersonState): readonly PersonEvent[] {
  const { personId, actorId, at } = command.data;
  if (state.status === 'unknown') throw new UnknownPersonError(personId);
  const absences = validateAbsences(personId, command.data.absences);
  if (jsonEqual(state.person.absences, absences)) return [];
  return [{ type: 'PersonAbsencesChanged', data: { personId, absences, actorId, at } }];
}

/**
 * Person decider. Checks the person's own fields; whether the units of the memberships exist is
 * known only to the caller's projection (and the bulk-import planner checks it). Absences have a
 * command of their own: other writers (the person, their managers) keep them than the HR fields.
 */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'UpsertPerson':
        return upsert(command, state);
      case 'SetPersonAbsences':
        return setAbsences(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PersonRegistered':
        return { status: 'registered', person: personOf(event.data.person) };
      case 'PersonChanged':
        return state.status === 'registered' ? { status: 'registered', person: { ...state.person, ...event.data.changes } } : state;
      case 'PersonAbsencesChanged':
        return state.status === 'registered' ? { status: 'registered', person: { ...state.person, absences: event.data.absences } } : state;
      default:
        return assertNever(event);
    }
  },
};
