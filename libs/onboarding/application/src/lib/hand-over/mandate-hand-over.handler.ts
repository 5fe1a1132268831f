import type { EventStore } from '@leadership/event-store';
import { deterministicId, DomainRuleError, type CommandContext } from '@leadership/kernel';
import {
  handOverWork,
  isBefore,
  planDecider,
  planStreamName,
  reassignRolePresenters,
  sessionDecider,
  sessionStreamName,
  type MandateChange,
  type RoleAddress,
  type RoleAddressedSession,
} from '@leadership/onboarding-domain';
import { bookingStampFor, type OnboardingAuthority } from '../authority/onboarding-authority.port';
import type { OnboardingBoard } from '../board/onboarding-board';
import type { PresenterBookings } from '../booking/presenter-bookings/presenter-bookings';
import type { PresenterChoices } from '../booking/presenter-choices/presenter-choices';
import { run } from '../shared/onboarding-commands';

/** The actor of hand-overs: the mandate change, not a person. */
export const HAND_OVER_ACTOR = 'system:onboarding-hand-over';

/** A mandate as it changed (from `leadership.delegation.mandates.v1`), what the hand-over needs of it. */
export interface ChangedMandate {
  readonly mandateId: string;
  readonly version: number;
  readonly taskType: string;
  readonly unitId: string;
  readonly status: 'proposed' | 'accepted' | 'active' | 'suspended' | 'declined' | 'ended';
}

export interface HandOverOutcome {
  readonly handedOver: number;
  readonly released: number;
  readonly asked: number;
  readonly unstaffed: number;
}

/**
 * Work follows the mandate. On every change of a mandate (called after the authority projection
 * applied it, so "who holds what" already reflects it):
 *
 * 1. an `onboarding` mandate: plans and sessions organised by someone who may no longer plan
 *    onboarding in the unit go to the current holder of the task, or back to the formal manager
 *    (`handOverWork`); the hand-over events tell the people affected (newcomers, presenters);
 * 2. any task type: sessions whose presenter slot is addressed to that role ("the case manager of
 *    support") re-resolve it (`reassignRolePresenters`): the old presenter's booking is released
 *    (CANCEL to them, their slot freed), the new holder is asked — or, if the new holder said no to
 *    the session before, the role's stand-ins (deputy, formal manager); a stand-in for the holder's
 *    own mandate keeps the session.
 *
 * Both are computed from the current state, not from the event alone, so a redelivered or late
 * event decides nothing new and a missed one is made up by the next change in the unit.
 */
export class MandateHandOverHandler {
  constructor(
    private readonly store: EventStore,
    private readonly board: OnboardingBoard,
    private readonly authority: OnboardingAuthority,
    private readonly bookings: PresenterBookings,
    private readonly choices: PresenterChoices,
    private readonly now: () => Date,
  ) {}

  async onMandateChanged(mandate: ChangedMandate, context: Omit<CommandContext, 'actorId'>): Promise<HandOverOutcome> {
    await this.board.catchUp();
    const ctx: CommandContext = { ...context, actorId: HAND_OVER_ACTOR };
    const handedOver = mandate.taskType === 'onboarding' ? await this.followOnboarding(mandate, ctx) : 0;
    await this.board.catchUp();
    const roles = await this.reresolve({ taskType: mandate.taskType, unitId: mandate.unitId }, ctx);
    return { handedOver, ...roles };
  }

  private async followOnboarding(mandate: ChangedMandate, context: CommandContext): Promise<number> {
    const { unitId } = mandate;
    const at = this.now().toISOString();
    const holder = this.authority.roleHolder({ taskType: 'onboarding', unitId }, at);
    const formalManagerId = this.authority.formalManagerOf(unitId);
    const plans = this.board.plansOfUnit(unitId).flatMap((plan) => (plan.status === 'draft' ? [] : [{ newcomerId: plan.newcomerId, organiserId: plan.organiserId, status: plan.status }]));
    const sessions = this.board.sessionsOfUnit(unitId).map((session) => ({
      sessionId: session.sessionId,
      planId: session.planId,
      organiserId: session.organiserId,
      status: session.status,
      presenterIds: this.board.bookingsOfSession(session.sessionId).filter((b) => b.status === 'requested' || b.status === 'confirmed').map((b) => b.personId),
    }));
    const organisers = new Set([...plans.filter((p) => p.status === 'active').map((p) => p.organiserId), ...sessions.filter((s) => s.status === 'scheduled').map((s) => s.organiserId)]);
    let commands = 0;
    for (const organiserId of organisers) {
      // Whoever may still plan onboarding here (the holder, a formal manager) keeps their work.
      if (organiserId === holder?.personId || this.authority.holds(organiserId, 'onboarding.plan', unitId)) continue;
      const change: MandateChange = holder
        ? { kind: 'passed', toPersonId: holder.personId, mandateId: holder.mandateId, mandateVersion: holder.mandateVersion }
        : { kind: mandate.status === 'suspended' ? 'suspended' : 'ended' };
      if (!holder && formalManagerId === undefined) continue;
      const decision = handOverWork({ holderId: organiserId, formalManagerId: formalManagerId ?? '', change, owned: { plans, sessions }, actorId: HAND_OVER_ACTOR, at });
      for (const command of decision.commands) {
        if (command.type === 'HandOverPlan') await run(this.store, planStreamName(command.data.newcomerId), planDecider, command, context);
        else await run(this.store, sessionStreamName(command.data.sessionId), sessionDecider, command, context);
        commands += 1;
      }
    }
    return commands;
  }

  private async reresolve(role: RoleAddress, context: CommandContext): Promise<Omit<HandOverOutcome, 'handedOver'>> {
    const at = this.now().toISOString();
    const sessions: RoleAddressedSession[] = this.board
      .allSessions()
      .filter((session) => session.status === 'scheduled' && isBefore(at, session.from))
      .map((session) => {
        const open = this.board.openBookingOf(session.sessionId);
        const standInFor = open?.resolution.basis === 'role' && open.resolution.standIn !== undefined ? open.resolution.mandateId : null;
        const saidNo = this.board
          .bookingsOfSession(session.sessionId)
          .filter((booking) => booking.status === 'declined' || booking.status === 'expired')
          .map((booking) => booking.personId);
        return {
          sessionId: session.sessionId,
          title: session.title,
          from: session.from,
          to: session.to,
          presenterSlot: session.presenterSlot,
          openBooking: open ? { bookingId: open.bookingId, personId: open.personId, status: open.status === 'confirmed' ? 'confirmed' : 'requested', standInFor } : null,
          saidNo,
        };
      });
    const newHolder = this.authority.roleHolder(role, at);
    const decision = reassignRolePresenters({ role, newHolder, sessions, stamp: null, actorId: HAND_OVER_ACTOR, at });
    for (const release of decision.release) await this.bookings.release(release.data.bookingId, release.data.successorId, null, context);
    let asked = 0;
    for (const ask of decision.ask) {
      const session = this.board.session(ask.sessionId);
      const stamp = session ? bookingStampFor(this.authority, session.organiserId, session.unitId) : undefined;
      // Nobody may book for this session now (its organiser lost the task and no formal manager is known): it waits in the overview.
      if (!stamp) continue;
      try {
        await this.bookings.request({ bookingId: ask.bookingId, sessionId: ask.sessionId, personId: ask.personId, resolution: ask.resolution, stamp }, context);
        asked += 1;
      } catch (error) {
        // The new holder is busy or absent then: the session waits for the organiser, listed in the overview.
        if (!(error instanceof DomainRuleError)) throw error;
      }
    }
    if (decision.standIns.length > 0 && newHolder) await this.board.catchUp();
    for (const sessionId of decision.standIns) {
      const session = this.board.session(sessionId);
      if (!session || !newHolder) continue;
      // One stand-in request per session and holder's mandate version: a redelivered event asks once.
      const bookingId = deterministicId('onboarding-booking-stand-in', sessionId, newHolder.mandateId, String(newHolder.mandateVersion));
      if (await this.choices.staff(session, { role }, bookingId, context)) asked += 1;
    }
    return { released: decision.release.length, asked, unstaffed: decision.unstaffed.length };
  }
}
