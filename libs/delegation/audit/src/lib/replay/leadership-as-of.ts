import { DEFAULT_TASK_TYPES, leadershipMap, type LeadershipMap, type MandateSnapshot, type TaskTypeDefinition } from '@leadership/delegation-domain';
import type { ReplayedState } from './replay-state-at';

/** Options of {@link leadershipAsOf}. */
export interface LeadershipAsOfOptions {
  /** Only this unit; default: every unit of the directory and every unit a mandate names. */
  readonly unitId?: string;
}

/**
 * "Who could do what at T": per unit, its formal managers and the holders of each task type in
 * force at the replayed instant (activated, within the period, not suspended, not ended — the
 * domain's `isInForceAt`), with gaps and exclusive overlaps. Computed by the domain's
 * `leadershipMap` over the replayed state, so the compliance answer and the service's own
 * leadership map cannot drift apart.
 *
 * The catalogue is the replayed one; a store without catalogue events (catalogue never changed
 * from the defaults) is read with the platform's default task types.
 */
export function leadershipAsOf(state: ReplayedState, options: LeadershipAsOfOptions = {}): LeadershipMap[] {
  const units = [...state.units.values()];
  // leadershipMap looks only at the mandates of the unit it maps (and at every unit, for inherited
  // managers); handing each call just its unit's mandates keeps a 500-unit store from costing
  // 500 passes (and 500 authority indexes) over every mandate.
  const mandatesByUnit = new Map<string, MandateSnapshot[]>();
  for (const mandate of state.mandates.values()) {
    const list = mandatesByUnit.get(mandate.scope.unitId);
    if (list === undefined) mandatesByUnit.set(mandate.scope.unitId, [mandate]);
    else list.push(mandate);
  }
  const unitIds = options.unitId !== undefined ? [options.unitId] : [...new Set([...state.units.keys(), ...mandatesByUnit.keys()])].sort();
  const catalogue = catalogueOf(state);
  return unitIds.map((unitId) => leadershipMap({ units, mandates: mandatesByUnit.get(unitId) ?? [] }, catalogue, unitId, state.at));
}

/** The replayed catalogue, or the defaults when the store holds no catalogue events. */
export function catalogueOf(state: ReplayedState): readonly TaskTypeDefinition[] {
  return state.taskTypes.size > 0 ? [...state.taskTypes.values()] : DEFAULT_TASK_TYPES;
}
