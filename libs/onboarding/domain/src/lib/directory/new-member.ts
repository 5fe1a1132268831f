import { DAY_MS, epochOf, isBefore, type TimeWindow } from '../shared/instant';

/*
 * The onboarding context's own picture of the people in the directory (from `PersonChanged` on
 * the delegation's directory topic), and the rule that tells a new member of a unit — someone to
 * draft an onboarding plan for — from a person the context simply had not heard of yet.
 */

/** A person as onboarding keeps them: memberships (for new members), skills and absences (for presenters). */
export interface KnownPerson {
  readonly personId: string;
  /** The directory's version of the person (`PersonChanged.version`): the guard of every write. */
  readonly version: number;
  readonly unitIds: readonly string[];
  readonly skills: readonly string[];
  readonly absences: readonly TimeWindow[];
}

/**
 * A `PersonChanged` as onboarding reads it. `skills` and `absences` were added to the message
 * within v1: a message without them (published before) says nothing about them — unknown, not none.
 */
export interface PersonChange extends Omit<KnownPerson, 'skills' | 'absences'> {
  readonly skills?: readonly string[];
  readonly absences?: readonly TimeWindow[];
  readonly occurredAt: string;
}

/** How long after the directory's change a new membership still drafts a plan [14 days]. */
export const NEW_MEMBER_WINDOW_DAYS = 14;

export type NewMemberDecision =
  /** Draft a plan for the newcomer in this unit. */
  | { readonly kind: 'draft'; readonly unitId: string }
  /** The projection has this version or a newer one: a redelivery or a late message, nothing to do. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'none'; readonly reason: NotANewMemberReason };

export type NotANewMemberReason =
  /** The change adds no unit to the memberships known before. */
  | 'no-new-membership'
  /**
   * The first version onboarding sees is not the registration (version 0): what changed is unknown —
   * a new consumer group reading the compacted topic from the beginning sees every person like this.
   */
  | 'first-seen-after-registration'
  /** The change is older than the window: a replay of history (a new group on a topic not compacted yet, a consumer back after a long outage). */
  | 'too-old'
  /** None of the added units did onboarding in this service when the person joined (no programme defined for it by then). */
  | 'unit-without-onboarding';

/**
 * Whether a `PersonChanged` announces a new member of a unit, i.e. an onboarding plan should be
 * drafted. All of these hold:
 *
 * 1. a membership is **new**: the person was known at an earlier version without that unit, or the
 *    change is the person's registration (version 0) — a person first seen at a later version may
 *    have been a member for years (a new consumer group reads the compacted topic from the
 *    beginning and sees only each person's latest version), so nothing is drafted for them;
 * 2. the change is **recent**: `occurredAt` no more than `windowDays` before `now` (a replay of old
 *    history drafts nothing, whatever order it arrives in);
 * 3. the unit **does onboarding** here: one of its programmes was defined at or before the change
 *    (`onboardingSince(unitId)`), so importing the whole staff of a unit before onboarding is set up
 *    there drafts nothing.
 *
 * The first added unit (in the directory's order) that passes is drafted; a newcomer has one plan,
 * so a person who has one already keeps it (the plan decider changes nothing then).
 */
export function newMember(input: {
  readonly known: KnownPerson | undefined;
  readonly change: PersonChange;
  readonly now: string;
  readonly onboardingSince: (unitId: string) => string | undefined;
  readonly windowDays?: number;
}): NewMemberDecision {
  const { known, change, now, onboardingSince } = input;
  if (known && known.version >= change.version) return { kind: 'stale' };
  if (!known && change.version !== 0) return { kind: 'none', reason: 'first-seen-after-registration' };
  const before = new Set(known?.unitIds ?? []);
  const added = change.unitIds.filter((unitId) => !before.has(unitId));
  if (added.length === 0) return { kind: 'none', reason: 'no-new-membership' };
  const windowMs = (input.windowDays ?? NEW_MEMBER_WINDOW_DAYS) * DAY_MS;
  if (epochOf(now) - epochOf(change.occurredAt) > windowMs) return { kind: 'none', reason: 'too-old' };
  const unitId = added.find((candidate) => {
    const since = onboardingSince(candidate);
    return since !== undefined && !isBefore(change.occurredAt, since);
  });
  return unitId === undefined ? { kind: 'none', reason: 'unit-without-onboarding' } : { kind: 'draft', unitId };
}
