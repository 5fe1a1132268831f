import type { CommandContext } from '@leadership/kernel';
import { newMember, type NewMemberDecision, type PersonChange } from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../board/onboarding-board';
import type { PresenterChoices } from '../booking/presenter-choices/presenter-choices';
import type { GenerateDraftPlanHandler } from '../plan/generate-draft-plan/generate-draft-plan.handler';
import type { OnboardingPeople } from './onboarding-people.port';

/** The actor of what the directory's changes cause here: the directory, not a person. */
export const DIRECTORY_ACTOR = 'system:onboarding-directory';

export interface DirectoryPersonHandlerOptions {
  /** How long after the directory's change a new membership still drafts a plan (default `NEW_MEMBER_WINDOW_DAYS`). */
  readonly newMemberWindowDays?: number;
}

export interface DirectoryPersonOutcome {
  readonly decision: NewMemberDecision;
  /** A plan was drafted by this change (false when the newcomer had a plan already). */
  readonly drafted: boolean;
  /** The person's open bookings released because they are absent then (each session moved on). */
  readonly releasedAbsent: number;
}

/**
 * `PersonChanged` from the directory topic: drafts an onboarding plan for a new member of a unit
 * (the rule is the domain's `newMember`: a new membership, recent, in a unit that does onboarding),
 * keeps the context's projection of the person (memberships, skills, absences), and releases the
 * person from the sessions they are now absent for (each moves on to its next candidate).
 *
 * The draft comes before the projection's write: a crash in between leaves the person at the old
 * version, so the redelivered message decides again and the plan decider changes nothing the
 * second time. The releases come after it (the next candidate is chosen on the new absences); a
 * crash before them is made up by the reminders worker's next pass, which releases whoever is
 * absent from an open booking. A version the projection has already (redelivery, a late message)
 * does nothing.
 */
export class DirectoryPersonHandler {
  constructor(
    private readonly people: OnboardingPeople,
    private readonly board: OnboardingBoard,
    private readonly drafts: GenerateDraftPlanHandler,
    private readonly choices: PresenterChoices,
    private readonly now: () => Date,
    private readonly options: DirectoryPersonHandlerOptions = {},
  ) {}

  async onPersonChanged(change: PersonChange, context: Omit<CommandContext, 'actorId'>): Promise<DirectoryPersonOutcome> {
    const known = await this.people.person(change.personId);
    if (known && known.version >= change.version) return { decision: { kind: 'stale' }, drafted: false, releasedAbsent: 0 };
    await this.board.catchUp();
    const decision = newMember({
      known,
      change,
      now: this.now().toISOString(),
      onboardingSince: (unitId) => this.board.onboardingSince(unitId),
      ...(this.options.newMemberWindowDays !== undefined ? { windowDays: this.options.newMemberWindowDays } : {}),
    });
    let drafted = false;
    if (decision.kind === 'draft') {
      const result = await this.drafts.execute({ newcomerId: change.personId, unitId: decision.unitId }, { ...context, actorId: DIRECTORY_ACTOR });
      drafted = result.events.length > 0;
    }
    const { personId, version, unitIds } = change;
    // A message without skills or absences (published before they were added) keeps what was known.
    const skills = change.skills ?? known?.skills ?? [];
    const absences = change.absences ?? known?.absences ?? [];
    await this.people.save({ personId, version, unitIds: [...unitIds], skills: [...skills], absences: absences.map(({ from, to }) => ({ from, to })) });
    const releasedAbsent = absences.length > 0 ? await this.choices.releaseAbsent([personId], context) : 0;
    return { decision, drafted, releasedAbsent };
  }
}
