/*
 * Words every aggregate of the onboarding context shares: the stamp of authority a decision
 * carries, how a presenter is addressed, who owns a task.
 */

/**
 * What a decision of the onboarding manager relied on, fixed when it is made: a mandate (its id
 * and the version in force) or being a formal manager of the unit. Stored in the event, so
 * compliance can later find decisions taken outside a mandate or after it ended.
 */
export interface DecisionStamp {
  readonly basis: 'mandate' | 'formal-manager';
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  readonly actorId: string;
}

/** A mandate basis names its mandate and version; a formal manager's names none. */
export function validStamp(stamp: DecisionStamp): boolean {
  if (blank(stamp.actorId)) return false;
  if (stamp.basis === 'formal-manager') return stamp.mandateId === null && stamp.mandateVersion === null;
  return (
    stamp.basis === 'mandate' &&
    !blank(stamp.mandateId) &&
    stamp.mandateVersion !== null &&
    Number.isInteger(stamp.mandateVersion) &&
    stamp.mandateVersion >= 0
  );
}

/** Text that is missing or only white space. */
export const blank = (text: string | null | undefined): boolean => text === undefined || text === null || text.trim().length === 0;

/** A task type held by mandate in a unit, e.g. `{ taskType: 'case-distribution', unitId: 'support' }` ("the case manager of support"). */
export interface RoleAddress {
  readonly taskType: string;
  readonly unitId: string;
}

/**
 * Who presents a session: a named person, whoever holds a role when the booking is made (and again
 * whenever the role changes hands), or anyone with a skill. The application resolves role and skill
 * to a person; the domain keeps the address so it can be resolved again.
 */
export type PresenterAddress = { readonly personId: string } | { readonly role: RoleAddress } | { readonly skill: string };

/** True when the address names exactly one of person, role or skill, none of them blank. */
export function validPresenterAddress(address: PresenterAddress): boolean {
  const keys = Object.keys(address);
  if (keys.length !== 1) return false;
  if ('personId' in address) return !blank(address.personId);
  if ('role' in address) return !blank(address.role.taskType) && !blank(address.role.unitId);
  return 'skill' in address && !blank(address.skill);
}

/** Roles that own tasks for a newcomer; the application knows who holds them (the buddy, IT, the formal manager). */
export const TASK_OWNER_ROLES = ['newcomer', 'manager', 'buddy', 'it'] as const;
export type TaskOwnerRole = (typeof TASK_OWNER_ROLES)[number];

/**
 * Who must do a task: a role relative to the newcomer, or a named person. A person is an object
 * rather than a bare string so that a person whose id happens to be `it` is never read as the IT role.
 */
export type TaskOwner = TaskOwnerRole | { readonly personId: string };

export function validTaskOwner(owner: TaskOwner): boolean {
  if (typeof owner === 'string') return (TASK_OWNER_ROLES as readonly string[]).includes(owner);
  return Object.keys(owner).length === 1 && !blank(owner.personId);
}

/** Equality of the plain JSON data the deciders keep (built in a fixed key order, so the text compares). */
export const sameData = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
