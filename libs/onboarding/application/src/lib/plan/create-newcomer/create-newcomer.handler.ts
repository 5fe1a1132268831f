import { readAggregate, type EventStore } from '@leadership/event-store';
import type { CommandContext } from '@leadership/kernel';
import { planDecider, planStreamName, programmeDecider, ProgrammeNotFoundError, programmeStreamName, snapshotOf, type ProgrammeSnapshot } from '@leadership/onboarding-domain';
import { stampIfAllowed, type OnboardingAuthority } from '../../authority/onboarding-authority.port';
import type { AutomaticBooking } from '../../booking/request-presenter/request-presenter.handler';
import { run } from '../../shared/onboarding-commands';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';
import type { PlanSessions } from '../plan-sessions';

export interface CreateNewcomerInput {
  readonly personId: string;
  readonly unitId: string;
  readonly startDate: string;
  readonly timeZone: string;
  readonly programmeIds: readonly string[];
}

export interface CreateNewcomerResult extends PlanCommandResult {
  /** One entry per session step with a presenter: who was asked, or why nobody was. */
  readonly bookings: readonly AutomaticBooking[];
}

/**
 * `POST /newcomers`: generates the newcomer's plan from the current versions of the programmes
 * (authority `onboarding.plan` in the newcomer's unit, or formal management of it), schedules its
 * sessions, and books the presenters of session steps that name one — a role resolved now from the
 * mandates in force. A retry of the same request repeats nothing (every id is derived).
 * Presenters are booked only with `onboarding.book-presenter`: a caller who may plan but not
 * book leaves the sessions waiting in the overview.
 */
export class CreateNewcomerHandler {
  constructor(
    private readonly store: EventStore,
    private readonly authority: OnboardingAuthority,
    private readonly sessions: PlanSessions,
    private readonly now: () => Date,
  ) {}

  async execute(input: CreateNewcomerInput, context: CommandContext): Promise<CreateNewcomerResult> {
    const stamp = this.authority.authorise(context.actorId, 'onboarding.plan', input.unitId);
    const bookingStamp = stampIfAllowed(this.authority, context.actorId, 'onboarding.book-presenter', input.unitId);
    const programmes: ProgrammeSnapshot[] = [];
    for (const programmeId of input.programmeIds) {
      const { state } = await readAggregate(this.store, programmeDecider, programmeStreamName(programmeId));
      if (state.status === 'none') throw new ProgrammeNotFoundError(programmeId);
      programmes.push(snapshotOf(state));
    }
    const { personId: newcomerId, unitId, startDate, timeZone } = input;
    const result = await run(this.store, planStreamName(newcomerId), planDecider, { type: 'GeneratePlan', data: { newcomerId, at: this.now().toISOString(), stamp, unitId, startDate, timeZone, programmes } }, context);
    const plan = toPlanCommandResult(newcomerId, result);
    if (plan.plan.status === 'draft') return { ...plan, bookings: [] };
    const bookings = await this.sessions.sync(plan.plan, 'all', stamp, bookingStamp, context);
    return { ...plan, bookings };
  }

}
