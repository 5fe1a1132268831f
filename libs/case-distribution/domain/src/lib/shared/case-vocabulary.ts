/*
 * Words every aggregate of the case distribution context shares: priorities, skills and the
 * stamp of authority that every decision carries.
 */

/** P1 is the most urgent. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const isPriority = (value: unknown): value is Priority => PRIORITIES.includes(value as Priority);

/** Negative when `a` is more urgent than `b` (P1 before P2), for sorting. */
export const comparePriority = (a: Priority, b: Priority): number => PRIORITIES.indexOf(a) - PRIORITIES.indexOf(b);

/** Skill levels run from 1 (basic) to 5 (expert), as in the routing tools the users know. */
export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 5;

/** A skill an agent has, or a case asks for (then `level` is the minimum). */
export interface Skill {
  readonly name: string;
  readonly level: number;
}

/** Names are not blank; levels are whole numbers within 1..5. */
export const validSkill = (skill: Skill): boolean =>
  skill.name.trim().length > 0 && Number.isInteger(skill.level) && skill.level >= MIN_SKILL_LEVEL && skill.level <= MAX_SKILL_LEVEL;

/** True when `skills` holds a skill of the same name and at least the level of each one `required`. */
export const hasSkills = (skills: readonly Skill[], required: readonly Skill[]): boolean =>
  required.every((need) => skills.some((have) => have.name === need.name && have.level >= need.level));

/** The same set of skills, whatever the order (skills are a set; a reordered request is a retry). */
export const sameSkills = (a: readonly Skill[], b: readonly Skill[]): boolean =>
  a.length === b.length && hasSkills(a, b) && hasSkills(b, a);

/**
 * What an automatic or manual decision relied on, fixed when it is made: a mandate (with its
 * id and version), being the unit's formal manager, or the queue's routing policy. Stored in the
 * event, so a later check against the delegation service's as-of answer can find decisions taken
 * outside a mandate (projection lag, a revocation in flight).
 */
export interface DecisionStamp {
  readonly basis: 'mandate' | 'formal-manager' | 'routing-policy';
  readonly mandateId: string | null;
  readonly mandateVersion: number | null;
  readonly actorId: string;
}

/** A mandate basis names its mandate and version; the other bases name none. */
export const validStamp = (stamp: DecisionStamp): boolean => {
  if (stamp.actorId.trim().length === 0) return false;
  if (stamp.basis === 'mandate') return stamp.mandateId !== null && stamp.mandateId.trim().length > 0 && stamp.mandateVersion !== null && Number.isInteger(stamp.mandateVersion) && stamp.mandateVersion >= 0;
  return stamp.mandateId === null && stamp.mandateVersion === null;
};

/** Text that must not be blank (reasons, titles) after trimming. */
export const blank = (text: string | undefined | null): boolean => text === undefined || text === null || text.trim().length === 0;
