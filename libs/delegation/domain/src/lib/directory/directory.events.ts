import type { Person, Unit } from './directory';

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

/** A person appeared in the directory. */
export interface PersonRegistered {
  readonly type: 'PersonRegistered';
  readonly data: { readonly person: Person; readonly actorId: string; readonly at: string };
}

/** Some of a person's fields changed; `previous` holds the old values of the changed fields. */
export interface PersonChanged {
  readonly type: 'PersonChanged';
  readonly data: {
    readonly personId: string;
    readonly changes: Partial<Omit<Person, 'id'>>;
    readonly previous: Partial<Omit<Person, 'id'>>;
    readonly actorId: string;
    readonly at: string;
  };
}

export type PersonEvent = PersonRegistered | PersonChanged;
