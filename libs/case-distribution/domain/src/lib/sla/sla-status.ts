import type { SlaTargetKind } from '../case/case.commands';
import type { ExistingCase } from '../case/case.state';
import type { SlaTargets } from '../queue/queue';
import { earlier, MS_PER_MINUTE, plusMillis } from '../shared/instant';

/**
 * A target is at risk once this share of its time has passed without it being met. 80% leaves a
 * fifth of the target to act on: for a 1-hour first response that is 12 minutes, enough for a
 * case manager to see the board and reassign, while a 50% threshold would flag most healthy cases.
 */
export const SLA_AT_RISK_SHARE = 0.8;

export type SlaTargetState = 'ok' | 'at-risk' | 'breached';

/** One SLA target of a case at an instant. */
export interface SlaTargetStatus {
  readonly kind: SlaTargetKind;
  readonly dueAt: string;
  /** When it becomes at risk (the scheduler's next look). */
  readonly atRiskAt: string;
  readonly state: SlaTargetState;
  /** When it was met (first in someone's hands; resolved), null while open. */
  readonly metAt: string | null;
}

/** What the SLA needs of a case. */
export type SlaCase = Pick<ExistingCase, 'receivedAt' | 'firstResponseAt' | 'resolvedAt'>;

function targetStatus(kind: SlaTargetKind, receivedAt: string, minutes: number, metAt: string | null, now: string): SlaTargetStatus {
  const dueAt = plusMillis(receivedAt, minutes * MS_PER_MINUTE);
  const atRiskAt = plusMillis(receivedAt, Math.round(minutes * MS_PER_MINUTE * SLA_AT_RISK_SHARE));
  return { kind, dueAt, atRiskAt, state: stateOf(dueAt, atRiskAt, metAt, now), metAt };
}

function stateOf(dueAt: string, atRiskAt: string, metAt: string | null, now: string): SlaTargetState {
  // A met target keeps its verdict: met by the due time is ok, met later stays breached.
  if (metAt !== null) return earlier(dueAt, metAt) ? 'breached' : 'ok';
  if (!earlier(now, dueAt)) return 'breached';
  return earlier(now, atRiskAt) ? 'ok' : 'at-risk';
}

/**
 * The case's SLA targets at `now` (pure): due times count from the original arrival, with the
 * targets of its current priority. The first response is met when the case is first in someone's
 * hands (accepted or assigned): the service sees no replies, only who holds the case.
 */
export function slaStatus(caseState: SlaCase, targets: SlaTargets, now: string): readonly SlaTargetStatus[] {
  return [
    targetStatus('first-response', caseState.receivedAt, targets.firstResponseMinutes, caseState.firstResponseAt, now),
    targetStatus('resolution', caseState.receivedAt, targets.resolutionMinutes, caseState.resolvedAt, now),
  ];
}
