import { DomainRuleError } from '@leadership/kernel';

/** Offer outcomes are noted only for an agent the context knows (one who set a presence or has an absence). */
export class AgentNotFoundError extends DomainRuleError {
  override readonly name = 'AgentNotFoundError';
  constructor(readonly personId: string) {
    super('agent.not-found', `agent ${personId} is not known`, { personId });
  }
}

/** Presence is the agent's own statement: nobody sets it for them (timeouts set `away` through their own rule). */
export class PresenceNotSelfError extends DomainRuleError {
  override readonly name = 'PresenceNotSelfError';
  constructor(readonly personId: string, readonly actorId: string) {
    super('agent.presence-not-self', `${actorId} cannot set the presence of ${personId}`, { personId, actorId });
  }
}

/** Presence is available, away or offline. */
export class PresenceInvalidError extends DomainRuleError {
  override readonly name = 'PresenceInvalidError';
  constructor(readonly personId: string, readonly status: unknown) {
    super('agent.presence-invalid', `presence must be available, away or offline, got ${String(status)}`, { personId });
  }
}

/** Absences and unavailability windows are non-empty periods of ISO instants, with an id. */
export class AgentPeriodInvalidError extends DomainRuleError {
  override readonly name = 'AgentPeriodInvalidError';
  constructor(readonly personId: string, readonly id: string) {
    super('agent.period-invalid', `${personId}: period ${id} needs an id and instants with from before to`, { personId, id });
  }
}

/** An absence id names one period: record a changed absence under a new id after cancelling the old one. */
export class AbsenceConflictError extends DomainRuleError {
  override readonly name = 'AbsenceConflictError';
  constructor(readonly personId: string, readonly absenceId: string) {
    super('agent.absence-conflict', `absence ${absenceId} of ${personId} exists with another period`, { personId, absenceId });
  }
}

/** A past absence stays on record (it decides the ramp-up after it and explains past routing). */
export class AbsenceOverError extends DomainRuleError {
  override readonly name = 'AbsenceOverError';
  constructor(readonly personId: string, readonly absenceId: string) {
    super('agent.absence-over', `absence ${absenceId} of ${personId} is over and stays on record`, { personId, absenceId });
  }
}
