import { DomainRuleError } from '@leadership/kernel';
import { wouldCreateCycle, type DirectorySnapshot, type PersonRecord, type Unit } from './directory';
import type { UpsertPerson, UpsertUnit } from './directory.commands';
import { DuplicateIdInBatchError, UnitCycleError, UnknownParentUnitError, UnknownUnitError } from './directory.errors';
import type { PersonEvent, UnitEvent } from './directory.events';
import { personDecider } from './person.decider';
import { unitDecider } from './unit.decider';

/** Rows of one bulk import (e.g. an HR export); units are planned first so people may join new units. */
export interface DirectoryImportBatch {
  readonly units?: readonly Unit[];
  readonly people?: readonly PersonRecord[];
}

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

/** What the import will do with one row. */
export interface ImportRowReport<Command> {
  /** 0-based index of the row within its list (units or people) of the batch, or its position in the import when the plan was given them (e.g. its NDJSON line). */
  readonly row: number;
  readonly id: string;
  readonly outcome: ImportOutcome;
  /** For `rejected`: the broken rule and a message saying what to fix. */
  readonly reason?: { readonly rule: string; readonly message: string };
  /** For `updated`: event types the upsert will append (e.g. `UnitManagersChanged`). */
  readonly changes?: readonly string[];
  /** For `created`/`updated`: the command to send; `unchanged` and `rejected` rows send nothing. */
  readonly command?: Command;
}

export interface DirectoryImportPlan {
  readonly units: readonly ImportRowReport<UpsertUnit>[];
  readonly people: readonly ImportRowReport<UpsertPerson>[];
  readonly summary: Readonly<Record<ImportOutcome, number>>;
}

/** How a plan is made: who and when, and where the batch stands in a larger import. */
export interface DirectoryImportOptions {
  readonly actorId: string;
  readonly at: string;
  /**
   * Where each row stands in the import (e.g. NDJSON line numbers), reported as `row` and named
   * in messages instead of its index in its list; `label` says which they are.
   */
  readonly positions?: { readonly units?: readonly number[]; readonly people?: readonly number[]; readonly label: 'rows' | 'lines' };
  /**
   * Ids that occur more than once in the whole import, also outside this batch (a stream is planned
   * a chunk at a time), with the positions of all their rows: every row of such an id is rejected.
   */
  readonly duplicates?: { readonly units?: ReadonlyMap<string, readonly number[]>; readonly people?: ReadonlyMap<string, readonly number[]> };
}

type Rejection = { readonly rule: string; readonly message: string };

function rejectionOf(error: unknown): Rejection {
  // Only rule violations become row rejections; anything else is a defect and must surface.
  if (error instanceof DomainRuleError) return { rule: error.rule, message: error.message };
  throw error;
}

/** Where the rows of one list stand, and the ids known to occur more than once in the whole import. */
interface ListPositions {
  readonly of: (index: number) => number;
  readonly label: 'rows' | 'lines';
  readonly known: ReadonlyMap<string, readonly number[]>;
}

function listPositions(options: DirectoryImportOptions, list: 'units' | 'people'): ListPositions {
  const numbers = options.positions?.[list];
  return { of: (index) => numbers?.[index] ?? index, label: options.positions?.label ?? 'rows', known: options.duplicates?.[list] ?? new Map() };
}

/** Rows (by index) whose id occurs more than once: every one of them is rejected, since which should win is unknowable. */
function duplicateRejections(ids: readonly string[], positions: ListPositions): Map<number, Rejection> {
  const indexesById = new Map<string, number[]>();
  ids.forEach((id, index) => indexesById.set(id, [...(indexesById.get(id) ?? []), index]));
  const rejected = new Map<number, Rejection>();
  for (const [id, indexes] of indexesById) {
    const everywhere = [...new Set([...(positions.known.get(id) ?? []), ...indexes.map(positions.of)])].sort((a, b) => a - b);
    if (everywhere.length < 2) continue;
    const rejection = rejectionOf(new DuplicateIdInBatchError(id, everywhere, positions.label));
    indexes.forEach((index) => rejected.set(index, rejection));
  }
  return rejected;
}

function report<Command, Event extends { readonly type: string }>(
  row: number,
  id: string,
  exists: boolean,
  command: Command,
  events: readonly Event[],
): ImportRowReport<Command> {
  if (!exists) return { row, id, outcome: 'created', command };
  if (events.length === 0) return { row, id, outcome: 'unchanged' };
  return { row, id, outcome: 'updated', changes: events.map((event) => event.type), command };
}

function planUnits(current: DirectorySnapshot, rows: readonly Unit[], actorId: string, at: string, positions: ListPositions) {
  const existing = new Map(current.units.map((unit) => [unit.id, unit]));
  const rejected = duplicateRejections(rows.map((unit) => unit.id), positions);
  const accepted = new Map<number, { command: UpsertUnit; events: readonly UnitEvent[] }>();
  rows.forEach((unit, row) => {
    if (rejected.has(row)) return;
    const command: UpsertUnit = { type: 'UpsertUnit', data: { unit, actorId, at } };
    const known = existing.get(unit.id);
    const state = known ? ({ status: 'registered', unit: known } as const) : unitDecider.initialState();
    try {
      accepted.set(row, { command, events: unitDecider.decide(command, state) });
    } catch (error) {
      rejected.set(row, rejectionOf(error));
    }
  });
  // Parent links depend on other rows: reject until stable, since dropping one row can orphan another.
  for (let changed = true; changed; ) {
    changed = false;
    const parentOf = new Map(current.units.map((unit) => [unit.id, unit.parentId]));
    accepted.forEach(({ command }) => parentOf.set(command.data.unit.id, command.data.unit.parentId));
    for (const [row, { command }] of accepted) {
      const { id, parentId } = command.data.unit;
      let rejection: Rejection | undefined;
      if (parentId !== null && !parentOf.has(parentId)) rejection = rejectionOf(new UnknownParentUnitError(id, parentId));
      else if (wouldCreateCycle(parentOf, id, parentId)) rejection = rejectionOf(new UnitCycleError(id, parentId ?? ''));
      if (rejection) {
        rejected.set(row, rejection);
        accepted.delete(row);
        changed = true;
      }
    }
  }
  const reports = rows.map((unit, index): ImportRowReport<UpsertUnit> => {
    const row = positions.of(index);
    const rejection = rejected.get(index);
    if (rejection) return { row, id: unit.id, outcome: 'rejected', reason: rejection };
    const plan = accepted.get(index);
    // Every row is either rejected or accepted by construction.
    if (!plan) throw new Error(`import row ${row} was neither accepted nor rejected`);
    return report(row, unit.id, existing.has(unit.id), plan.command, plan.events);
  });
  const unitIdsAfter = new Set([...existing.keys(), ...[...accepted.values()].map(({ command }) => command.data.unit.id)]);
  return { reports, unitIdsAfter };
}

function planPeople(
  current: DirectorySnapshot,
  rows: readonly PersonRecord[],
  unitIdsAfter: ReadonlySet<string>,
  actorId: string,
  at: string,
  positions: ListPositions,
): ImportRowReport<UpsertPerson>[] {
  const existing = new Map(current.people.map((person) => [person.id, person]));
  const duplicates = duplicateRejections(rows.map((person) => person.id), positions);
  return rows.map((person, index): ImportRowReport<UpsertPerson> => {
    const row = positions.of(index);
    const duplicate = duplicates.get(index);
    if (duplicate) return { row, id: person.id, outcome: 'rejected', reason: duplicate };
    const command: UpsertPerson = { type: 'UpsertPerson', data: { person, actorId, at } };
    const known = existing.get(person.id);
    const state = known ? ({ status: 'registered', person: known } as const) : personDecider.initialState();
    let events: readonly PersonEvent[];
    try {
      events = personDecider.decide(command, state);
      const unknownUnits = person.unitIds.filter((unitId) => !unitIdsAfter.has(unitId));
      if (unknownUnits.length > 0) throw new UnknownUnitError(person.id, unknownUnits);
    } catch (error) {
      return { row, id: person.id, outcome: 'rejected', reason: rejectionOf(error) };
    }
    return report(row, person.id, known !== undefined, command, events);
  });
}

/**
 * Plans a bulk import without performing it: which rows create, update, leave unchanged or are
 * rejected (with the rule and what to fix), and the upsert commands to send for the rest. Rows are
 * independent: a rejected row does not stop the others, except that people may only join units
 * that exist in the directory or are accepted in the same batch.
 */
export function planDirectoryImport(
  current: DirectorySnapshot,
  batch: DirectoryImportBatch,
  options: DirectoryImportOptions,
): DirectoryImportPlan {
  const { reports: units, unitIdsAfter } = planUnits(current, batch.units ?? [], options.actorId, options.at, listPositions(options, 'units'));
  const people = planPeople(current, batch.people ?? [], unitIdsAfter, options.actorId, options.at, listPositions(options, 'people'));
  const summary: Record<ImportOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  [...units, ...people].forEach((row) => (summary[row.outcome] += 1));
  return { units, people, summary };
}
