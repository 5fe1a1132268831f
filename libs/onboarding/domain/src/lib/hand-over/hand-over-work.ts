import { deterministicId } from '@leadership/kernel';
import type { TimeWindow } from '../shared/instant';
import type { DecisionStamp, PresenterAddress, RoleAddress } from '../shared/onboarding-vocabulary';
import type { PresenterResolution, ReleaseBooking } from '../booking/booking.commands';
import type { HandOverPlan, HandOverReason } from '../plan/plan.commands';
import type { HandOverSession } from '../session/session.commands';

/*
 * Work follows the mandate. Two pure decisions the application runs when a mandate event arrives:
 * (1) the onboarding mandate ended, was suspended or passed on → the plans and sessions its holder
 * organises go to the new holder (or back to the formal manager), and everyone affected is told;
 * (2) a role that presenter slots are addressed to changed hands → the old holder is released and
 * the new one asked. Both are idempotent: run again on a redelivered event, they decide nothing new.
 */

/** What became of the onboarding mandate. */
export type MandateChange =
  | { readonly kind: 'ended' | 'suspended' }
  | { readonly kind: 'passed'; readonly toPersonId: string; readonly mandateId: string; readonly mandateVersion: number };

/** Live work of the unit as the application reads it (plans and sessions with their organiser). */
export interface OwnedWork {
  readonly plans: readonly { readonly newcomerId: string; readonly organiserId: string; readonly status: 'draft' | 'active' | 'completed' }[];
  readonly sessions: readonly {
    readonly sessionId: string;
    readonly planId: string;
    readonly organiserId: string;
    readonly status: 'scheduled' | 'cancelled';
    /** People with a requested or confirmed booking for it. */
    readonly presenterIds: readonly string[];
  }[];
}

/** Who must be told, and why. */
export interface HandOverNotice {
  readonly personId: string;
  readonly reason: 'work-received' | 'work-handed-on' | 'organiser-changed';
  readonly planIds: readonly string[];
  readonly sessionIds: readonly string[];
}

export interface HandOverDecision {
  readonly toOrganiserId: string;
  readonly commands: readonly (HandOverPlan | HandOverSession)[];
  readonly notices: readonly HandOverNotice[];
}

const REASONS: Record<MandateChange['kind'], HandOverReason> = { ended: 'mandate-ended', suspended: 'mandate-suspended', passed: 'mandate-passed' };

/**
 * The hand-over of what `holderId` organises when their onboarding mandate changes. Ended or
 * suspended: back to the formal manager (a resumed mandate does not take the work back by itself:
 * the formal manager hands it on deliberately). Passed: to the new holder. Completed plans and
 * cancelled sessions are history and stay as they are.
 */
export function handOverWork(input: {
  readonly holderId: string;
  readonly formalManagerId: string;
  readonly change: MandateChange;
  readonly owned: OwnedWork;
  readonly actorId: string;
  readonly at: string;
}): HandOverDecision {
  const { holderId, formalManagerId, change, owned, actorId, at } = input;
  const toOrganiserId = change.kind === 'passed' ? change.toPersonId : formalManagerId;
  const reason = REASONS[change.kind];
  const mandateId = change.kind === 'passed' ? change.mandateId : null;
  if (toOrganiserId === holderId) return { toOrganiserId, commands: [], notices: [] };
  const plans = owned.plans.filter((plan) => plan.organiserId === holderId && plan.status === 'active');
  const sessions = owned.sessions.filter((session) => session.organiserId === holderId && session.status === 'scheduled');
  const commands: (HandOverPlan | HandOverSession)[] = [
    ...plans.map((plan): HandOverPlan => ({ type: 'HandOverPlan', data: { newcomerId: plan.newcomerId, at, actorId, toOrganiserId, reason, mandateId } })),
    ...sessions.map((session): HandOverSession => ({ type: 'HandOverSession', data: { sessionId: session.sessionId, at, actorId, toOrganiserId, reason, mandateId } })),
  ];
  if (commands.length === 0) return { toOrganiserId, commands, notices: [] };
  const planIds = plans.map((plan) => plan.newcomerId);
  const sessionIds = sessions.map((session) => session.sessionId);
  const notices: HandOverNotice[] = [
    { personId: toOrganiserId, reason: 'work-received', planIds, sessionIds },
    { personId: holderId, reason: 'work-handed-on', planIds, sessionIds },
  ];
  // Newcomers and presenters learn who organises their plan or session now (one notice each).
  const affected = new Map<string, { planIds: Set<string>; sessionIds: Set<string> }>();
  const touch = (personId: string) => {
    const known = affected.get(personId);
    if (known) return known;
    const work = { planIds: new Set<string>(), sessionIds: new Set<string>() };
    affected.set(personId, work);
    return work;
  };
  for (const plan of plans) touch(plan.newcomerId).planIds.add(plan.newcomerId);
  for (const session of sessions) for (const personId of [session.planId, ...session.presenterIds]) touch(personId).sessionIds.add(session.sessionId);
  for (const [personId, work] of [...affected.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (personId === toOrganiserId || personId === holderId) continue;
    notices.push({ personId, reason: 'organiser-changed', planIds: [...work.planIds], sessionIds: [...work.sessionIds] });
  }
  return { toOrganiserId, commands, notices };
}

/** A session whose presenter slot is addressed to a role, with its open booking if any. */
export interface RoleAddressedSession extends TimeWindow {
  readonly sessionId: string;
  readonly title: string;
  readonly presenterSlot: PresenterAddress | null;
  readonly openBooking: {
    readonly bookingId: string;
    readonly personId: string;
    readonly status: 'requested' | 'confirmed';
    /** A stand-in (deputy, formal manager): the mandate of the holder they stand in for. */
    readonly standInFor: string | null;
  } | null;
  /** Who said no to this session (declined, or let a request expire): not asked again. */
  readonly saidNo: readonly string[];
}

/** Who to ask next: the application adds the request's expiry, stamp and the person's absences and calendar. */
export interface PresenterToAsk extends TimeWindow {
  readonly bookingId: string;
  readonly sessionId: string;
  readonly personId: string;
  readonly title: string;
  readonly resolution: PresenterResolution;
}

export interface RoleReassignment {
  readonly release: readonly ReleaseBooking[];
  readonly ask: readonly PresenterToAsk[];
  /** Sessions whose role has no holder now: nobody presents, the organiser must act. */
  readonly unstaffed: readonly string[];
  /** Sessions whose new holder said no to them before: the role's stand-ins are asked instead (`choosePresenter`). */
  readonly standIns: readonly string[];
}

const sameRole = (slot: PresenterAddress | null, role: RoleAddress): boolean => slot !== null && 'role' in slot && slot.role.taskType === role.taskType && slot.role.unitId === role.unitId;

/**
 * A role changed hands (or lost its holder): every session addressed to it whose open booking is
 * not with the new holder (nor with a stand-in for the new holder's mandate: the holder said no to
 * that session) releases that booking and asks the new holder; sessions without a booking ask them
 * too. A new holder who said no to a session before is not asked: the session goes to the role's
 * stand-ins. The new booking id derives from session, person and the mandate version, so a
 * redelivered mandate event asks once.
 */
export function reassignRolePresenters(input: {
  readonly role: RoleAddress;
  readonly newHolder: { readonly personId: string; readonly mandateId: string; readonly mandateVersion: number } | null;
  readonly sessions: readonly RoleAddressedSession[];
  readonly stamp: DecisionStamp | null;
  readonly actorId: string;
  readonly at: string;
}): RoleReassignment {
  const { role, newHolder, stamp, actorId, at } = input;
  const release: ReleaseBooking[] = [];
  const ask: PresenterToAsk[] = [];
  const unstaffed: string[] = [];
  const standIns: string[] = [];
  for (const session of input.sessions) {
    if (!sameRole(session.presenterSlot, role)) continue;
    const booking = session.openBooking;
    if (newHolder !== null && (booking?.personId === newHolder.personId || booking?.standInFor === newHolder.mandateId)) continue;
    const holderSaidNo = newHolder !== null && session.saidNo.includes(newHolder.personId);
    if (booking) release.push({ type: 'ReleaseBooking', data: { bookingId: booking.bookingId, at, actorId, successorId: holderSaidNo ? null : (newHolder?.personId ?? null), stamp } });
    if (newHolder === null) {
      unstaffed.push(session.sessionId);
      continue;
    }
    if (holderSaidNo) {
      standIns.push(session.sessionId);
      continue;
    }
    ask.push({
      bookingId: deterministicId('onboarding-booking', session.sessionId, newHolder.personId, newHolder.mandateId, String(newHolder.mandateVersion)),
      sessionId: session.sessionId,
      personId: newHolder.personId,
      title: session.title,
      from: session.from,
      to: session.to,
      resolution: { basis: 'role', role: { taskType: role.taskType, unitId: role.unitId }, mandateId: newHolder.mandateId, mandateVersion: newHolder.mandateVersion },
    });
  }
  return { release, ask, unstaffed, standIns };
}
