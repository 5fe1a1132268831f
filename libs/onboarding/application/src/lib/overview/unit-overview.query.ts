import { unitOverview, type UnitOverview } from '@leadership/onboarding-domain';
import type { OnboardingAuthority } from '../authority/onboarding-authority.port';
import type { OnboardingBoard } from '../board/onboarding-board';

/**
 * `GET /units/{unitId}/onboarding`: the onboarding manager's overview (newcomers and their
 * progress, late tasks, sessions without a confirmed presenter, tasks without an owner), for
 * whoever may plan onboarding in the unit (`onboarding.plan` or formal management).
 */
export class UnitOverviewQuery {
  constructor(
    private readonly board: OnboardingBoard,
    private readonly authority: OnboardingAuthority,
    private readonly now: () => Date,
  ) {}

  async execute(unitId: string, actorId: string, readsEverything: boolean): Promise<UnitOverview> {
    if (!readsEverything) this.authority.authorise(actorId, 'onboarding.plan', unitId);
    await this.board.catchUp();
    return unitOverview(unitId, this.board.plansOfUnit(unitId), this.board.sessionsOfUnit(unitId), this.now().toISOString());
  }
}
