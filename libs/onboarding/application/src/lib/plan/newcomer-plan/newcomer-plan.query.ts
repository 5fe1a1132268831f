import type { ReadOnlyEventStore } from '@leadership/event-store';
import { newcomerChecklist, type ExistingPlan, type ExistingSession, type NewcomerChecklist } from '@leadership/onboarding-domain';
import type { OnboardingAuthority } from '../../authority/onboarding-authority.port';

import type { OnboardingBoard } from '../../board/onboarding-board';
import { GetPlanQuery } from '../get-plan/get-plan.query';

export interface NewcomerPlan {
  readonly plan: ExistingPlan;
  readonly version: number;
  /** The sessions of its session steps (presenter, sequence), by session id. */
  readonly sessions: ReadonlyMap<string, ExistingSession>;
  readonly checklist: NewcomerChecklist;
}

/**
 * `GET /newcomers/{id}/plan`: the plan from its stream (always current, with its version for
 * If-Match), its sessions and the checklist at now. The newcomer, the organiser and whoever may
 * plan in the unit see it; anyone else gets 403 (a plan tells who starts when).
 */
export class NewcomerPlanQuery {
  private readonly plans: GetPlanQuery;

  constructor(
    store: Pick<ReadOnlyEventStore, 'readStream'>,
    private readonly board: OnboardingBoard,
    private readonly authority: OnboardingAuthority,
    private readonly now: () => Date,
  ) {
    this.plans = new GetPlanQuery(store);
  }

  async execute(newcomerId: string, actorId: string, readsEverything: boolean): Promise<NewcomerPlan> {
    const { plan, version } = await this.plans.execute(newcomerId);
    const organiser = plan.status === 'draft' ? null : plan.organiserId;
    if (!readsEverything && actorId !== newcomerId && actorId !== organiser) {
      // Throws MissingAuthorityError (403) for a stranger.
      this.authority.authorise(actorId, 'onboarding.plan', plan.unitId);
    }
    await this.board.catchUp();
    const sessions = new Map<string, ExistingSession>();
    if (plan.status !== 'draft') {
      for (const step of plan.steps) {
        const session = step.sessionId === null ? undefined : this.board.session(step.sessionId);
        if (session) sessions.set(session.sessionId, session);
      }
    }
    return { plan, version, sessions, checklist: newcomerChecklist(plan, this.now().toISOString()) };
  }
}

