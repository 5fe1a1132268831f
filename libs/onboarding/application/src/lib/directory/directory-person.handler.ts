import type { CommandContext } from '@leadership/kernel';
import { newMember, type NewMemberDecision, type PersonChange } from '@leadership/onboarding-domain';
import type { OnboardingBoard } from '../board/onboarding-board';
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
}

/**
 * `PersonChanged` from the directory topic: drafts an onboarding plan for a new member of a unit
 * (the rule is the domain's `newMember`: a new membership, recent, in a unit that does onboarding)
 * and keeps the context's projection of the person (memberships, skills, absences).
 *
 * The draft comes before the projection's write: a crash in between leaves the person at the old
 * version, so the redelivered message decides again and the plan decider changes nothing the
 * second time. A version the projection has already (redelivery, a late message) does nothing.
 */
export class DirectoryPersonHandler {
  constructor(
    private readonly people: OnboardingPeople,
    private readonly board: OnboardingBoard,
    private readonly drafts: GenerateDraftPlanHandler,
    private readonly now: () => Date,
    private readonly options: DirectoryPersonHandlerOptions = {},
  ) {}

  async onPersonChanged(change: PersonChange, context: Omit<CommandContext, 'actorId'>): Promise<DirectoryPersonOutcome> {
    const known = await this.people.person(change.personId);
    if (known && known.version >= change.version) return { decision: { kind: 'stale' }, drafted: false };
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
    const { personId, version, unitIds, skills, absences } = change;
    await this.people.save({ personId, version, unitIds: [...unitIds], skills: [...skills], absences: absences.map(({ from, to }) => ({ from, to })) });
    return { decision, drafted };
  }
}
