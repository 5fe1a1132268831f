import type { Absence, PersonRecord, Unit } from './directory';

/** A unit appeared in the directory. */
export interface UnitRegistered {
  readonly type: 'UnitRegistered';
  readonly data: { readonly unit: Unit; readonly actorId: string; readonly at: string };
}

/** Name and/or parent of a unit changed; `previous` holds the old values of the changed fields. */
export interface UnitChanged {
  readonly type: 'UnitChanged';
  readonly data: {
    readonly unitId: string;
    readonly changes: Partial<Pick<Unit, 'name' | 'parentId'>>;
    readonly previous: Partial<Pick<Unit, 'name' | 'parentId'>>;
    readonly actorId: string;
    readonly at: string;
  };
}

/**
 * The formal managers of a unit changed. The scheduler reacts to `removed`: mandates those people
 * issued for this unit are flagged for reconfirmation.
 */
export interface UnitManagersChanged {
  readonly type: 'UnitManagersChanged';
  readonly data: {
    readonly unitId: string;
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** The full set after the change. */
    readonly managerIds: readonly string[];
    readonly actorId: string;
    readonly at: string;
  };
}

export type UnitEvent = UnitRegistered | UnitChanged | UnitManagersChanged;

/** A person appeared in the directory (events before skills existed have none: `personOf` reads them). */
export interface PersonRegistered {
  readonly type: 'PersonRegistered';
  readonly data: { readonly person: PersonRecord; readonly actorId: string; readonly at: string };
}

/** Some of a person's HR fields changed (incl. skills); `previous` holds the old values of the changed fields. */
export interface PersonChanged {
  readonly type: 'PersonChanged';
  readonly data: {
    readonly personId: string;
    readonly changes: Partial<Omit<PersonRecord, 'id'>>;
    readonly previous: Partial<Omit<PersonRecord, 'id'>>;
    readonly actorId: string;
    readonly at: string;
  };
}

/** A person's absence periods were replaced; `absences` is the whole list after the change. */
export interface PersonAbsencesChanged {
  readonly type: 'PersonAbsencesChanged';
  readonly data: { readonly personId: string; readonly absences: readonly Absence[]; readonly actorId: string; readonly at: string };
}

export type PersonEvent = PersonRegistered | PersonChanged | PersonAbsencesChanged;
