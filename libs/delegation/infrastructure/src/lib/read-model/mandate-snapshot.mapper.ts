import type { MandateSnapshot } from '@leadership/delegation-contracts';
import type { ExistingMandate } from '@leadership/delegation-domain';

/** The published (and projected) view of a mandate's state: ids only, no free-text reasons. */
export function toMandateSnapshot(state: ExistingMandate): MandateSnapshot {
  return {
    mandateId: state.mandateId,
    status: state.status,
    delegatorId: state.delegatorId,
    delegateId: state.delegateId,
    deputyId: state.deputyId,
    taskType: state.taskType,
    scope: {
      unitId: state.scope.unitId,
      ...(state.scope.queueId !== undefined ? { queueId: state.scope.queueId } : {}),
      ...(state.scope.projectId !== undefined ? { projectId: state.scope.projectId } : {}),
    },
    authorities: [...state.authorities],
    pendingAuthorities: [...state.pendingAuthorities],
    period: { from: state.period.from, until: state.period.until },
    suspensions: state.suspensions.map((s) => ({ from: s.from, until: s.until })),
    framework: {
      rules: state.framework.rules.map((r) => ({ id: r.id, text: r.text, mode: r.mode, ...(r.check ? { check: { kind: r.check.kind, params: { ...r.check.params } } } : {}) })),
      reservedDecisions: [...state.framework.reservedDecisions],
      escalationContactId: state.framework.escalationContactId,
    },
    reviewCadenceDays: state.reviewCadenceDays,
    lastCheckInAt: state.lastCheckInAt,
    acceptedAt: state.acceptedAt,
    activatedAt: state.activatedAt,
    endedAt: state.status === 'ended' ? state.endedAt : null,
    endReason: state.status === 'ended' ? state.endReason : null,
    awaitingReconfirmation: state.reconfirmation !== null,
  };
}
