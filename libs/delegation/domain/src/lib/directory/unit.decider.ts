import { assertNever, type Decider } from '@leadership/kernel';
import { diffFields, difference } from '../shared/collections';
import type { Unit } from './directory';
import type { UpsertUnit } from './directory.commands';
import type { UnitEvent } from './directory.events';
import { validateUnit } from './directory.validation';

/** State of one unit's stream (`unit-<id>`). */
export type UnitState = { readonly status: 'unknown' } | { readonly status: 'registered'; readonly unit: Unit };

export type UnitCommand = UpsertUnit;

function upsert(command: UpsertUnit, state: UnitState): readonly UnitEvent[] {
  const { actorId, at } = command.data;
  const unit = validateUnit(command.data.unit);
  if (state.status === 'unknown') return [{ type: 'UnitRegistered', data: { unit, actorId, at } }];
  const events: UnitEvent[] = [];
  const { changes, previous, changed } = diffFields(state.unit, unit, ['name', 'parentId']);
  if (changed.length > 0) events.push({ type: 'UnitChanged', data: { unitId: unit.id, changes, previous, actorId, at } });
  const added = difference(unit.managerIds, state.unit.managerIds);
  const removed = difference(state.unit.managerIds, unit.managerIds);
  if (added.length > 0 || removed.length > 0) {
    events.push({
      type: 'UnitManagersChanged',
      data: { unitId: unit.id, added, removed, managerIds: unit.managerIds, actorId, at },
    });
  }
  return events;
}

/**
 * Unit decider. Checks only what one unit's stream can know (shape, not its own parent); a parent
 * chain that loops through other units is checked by the caller with `wouldCreateCycle` against
 * its projection of the tree, and by the bulk-import planner.
 */
export const unitDecider: Decider<UnitCommand, UnitEvent, UnitState> = {
  initialState: () => ({ status: 'unknown' }),
  decide(command, state) {
    switch (command.type) {
      case 'UpsertUnit':
        return upsert(command, state);
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UnitRegistered':
        return { status: 'registered', unit: event.data.unit };
      case 'UnitChanged':
        return state.status === 'registered' ? { status: 'registered', unit: { ...state.unit, ...event.data.changes } } : state;
      case 'UnitManagersChanged':
        return state.status === 'registered'
          ? { status: 'registered', unit: { ...state.unit, managerIds: event.data.managerIds } }
          : state;
      default:
        return assertNever(event);
    }
  },
};
