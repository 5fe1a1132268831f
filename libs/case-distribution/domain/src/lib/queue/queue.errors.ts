import { DomainRuleError } from '@leadership/kernel';

/** A command other than DefineQueue for a queue that was never defined. */
export class QueueNotFoundError extends DomainRuleError {
  override readonly name = 'QueueNotFoundError';
  constructor(readonly queueId: string) {
    super('queue.not-found', `queue ${queueId} does not exist`, { queueId });
  }
}

/** DefineQueue for an id defined already with another configuration (use ChangeQueue). */
export class QueueAlreadyExistsError extends DomainRuleError {
  override readonly name = 'QueueAlreadyExistsError';
  constructor(readonly queueId: string) {
    super('queue.already-exists', `queue ${queueId} already exists with another configuration`, { queueId });
  }
}

/** A queue belongs to a unit and has a name, neither blank. */
export class QueueNameRequiredError extends DomainRuleError {
  override readonly name = 'QueueNameRequiredError';
  constructor(readonly queueId: string, readonly field: 'name' | 'unitId') {
    super('queue.name-required', `queue ${queueId} needs a ${field}`, { queueId, field });
  }
}

/** Routing: a known mode, an offer timeout of at least a second, a relaxation of zero or more seconds (whole numbers). */
export class QueueRoutingInvalidError extends DomainRuleError {
  override readonly name = 'QueueRoutingInvalidError';
  constructor(readonly queueId: string, readonly problem: string) {
    super('queue.routing-invalid', `queue ${queueId}: ${problem}`, { queueId, problem });
  }
}

/** SLA: every priority has positive whole-minute targets, and the first response is due no later than the resolution. */
export class QueueSlaInvalidError extends DomainRuleError {
  override readonly name = 'QueueSlaInvalidError';
  constructor(readonly queueId: string, readonly priority: string) {
    super('queue.sla-invalid', `queue ${queueId}: the SLA targets for ${priority} need whole minutes > 0, first response ≤ resolution`, { queueId, priority });
  }
}

/** A channel weight is a whole number of at least 1 (a case never weighs nothing). */
export class ChannelWeightInvalidError extends DomainRuleError {
  override readonly name = 'ChannelWeightInvalidError';
  constructor(readonly queueId: string, readonly channel: string) {
    super('queue.channel-weight-invalid', `queue ${queueId}: the weight of channel "${channel}" must be a whole number ≥ 1`, { queueId, channel });
  }
}

/** A queue cannot overflow into itself: the cases would never leave. */
export class OverflowToItselfError extends DomainRuleError {
  override readonly name = 'OverflowToItselfError';
  constructor(readonly queueId: string) {
    super('queue.overflow-to-itself', `queue ${queueId} cannot overflow into itself`, { queueId });
  }
}

/** An agent's capacity is a whole number of weight units ≥ 0 (0: in the queue, takes no cases now). */
export class AgentCapacityInvalidError extends DomainRuleError {
  override readonly name = 'AgentCapacityInvalidError';
  constructor(readonly queueId: string, readonly personId: string, readonly capacity: number) {
    super('queue.agent-capacity-invalid', `queue ${queueId}: capacity ${capacity} of ${personId} must be a whole number ≥ 0`, { queueId, personId, capacity });
  }
}

/** An agent's skills have names, levels 1..5, each name once. */
export class AgentSkillInvalidError extends DomainRuleError {
  override readonly name = 'AgentSkillInvalidError';
  constructor(readonly queueId: string, readonly personId: string, readonly skill: string) {
    super('queue.agent-skill-invalid', `queue ${queueId}: skill "${skill}" of ${personId} needs a name, a level of 1 to 5, and may appear once`, {
      queueId,
      personId,
      skill,
    });
  }
}

/** A queue's decisions carry a stamp that names its authority consistently. */
export class QueueStampInvalidError extends DomainRuleError {
  override readonly name = 'QueueStampInvalidError';
  constructor(readonly queueId: string) {
    super('queue.stamp-invalid', `queue ${queueId}: the stamp does not name its authority consistently`, { queueId });
  }
}

/**
 * A queue stays in the unit it was defined in: who may manage it, and the unit of every case in it,
 * follow from that unit, so moving it would hand a unit's work to another one's managers (or let a
 * delegate take the queue out of the delegator's reach). Define a new queue in the other unit.
 */
export class QueueUnitFixedError extends DomainRuleError {
  override readonly name = 'QueueUnitFixedError';
  constructor(readonly queueId: string, readonly unitId: string, readonly requestedUnitId: string) {
    super('queue.unit-fixed', `queue ${queueId} belongs to unit ${unitId} and cannot move to ${requestedUnitId}; define a new queue in ${requestedUnitId} instead`, { queueId, unitId, requestedUnitId });
  }
}

/** A queue overflows only into a queue that exists (cases sent to an unknown one would wait where nobody routes them). */
export class OverflowQueueUnknownError extends DomainRuleError {
  override readonly name = 'OverflowQueueUnknownError';
  constructor(readonly queueId: string, readonly overflowQueueId: string) {
    super('queue.overflow-queue-unknown', `queue ${queueId} cannot overflow into ${overflowQueueId}: no such queue; define it first`, { queueId, overflowQueueId });
  }
}
