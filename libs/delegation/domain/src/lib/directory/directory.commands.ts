import type { Absence, PersonRecord, Unit } from './directory';

/** Register a unit or bring it up to date (HR is the source of truth; an unchanged upsert is a no-op). */
export interface UpsertUnit {
  readonly type: 'UpsertUnit';
  readonly data: { readonly unit: Unit; readonly actorId: string; readonly at: string };
}

/** Register a person or bring them up to date. */
export interface UpsertPerson {
  readonly type: 'UpsertPerson';
  readonly data: { readonly person: PersonRecord; readonly actorId: string; readonly at: string };
}

/** Replace a registered person's absence periods with these (an empty list clears them). */
export interface SetPersonAbsences {
  readonly type: 'SetPersonAbsences';
  readonly data: { readonly personId: string; readonly absences: readonly Absence[]; readonly actorId: string; readonly at: string };
}
