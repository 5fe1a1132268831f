import { handleCommand, WrongExpectedRevisionError, type EventStore, type ExpectedRevision } from '@leadership/event-store';
import {
  MandateNotFoundError,
  decideMandate,
  mandateDecider,
  mandateStreamName,
  type ExistingMandate,
  type MandateAmendment,
  type MandateCommand,
  type MandateEvent,
  type MandateState,
  type ProposeMandate,
  type TaskTypeDefinition,
} from '@leadership/delegation-domain';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import type { DelegationFacts } from './delegation-facts';
import type { ExclusiveScopeClaims } from './exclusive-scope';

/** What a manager sends to propose a mandate; the delegator is the caller, time and facts are added here. */
export type ProposeMandateInput = Omit<ProposeMandate['data'], 'delegatorId' | 'actorId' | 'at' | 'context'>;

/** The mandate after a command and its version (stream revision), for the ETag. */
export interface MandateCommandResult {
  readonly mandateId: string;
  readonly version: number;
  readonly mandate: ExistingMandate;
  /** Types of the events appended; empty when the command changed nothing. */
  readonly events: readonly MandateEvent['type'][];
}

/** A task type that does not exist in the catalogue (422). */
export class UnknownTaskTypeError extends Error {
  override readonly name = 'UnknownTaskTypeError';
  readonly rule = 'mandate.unknown-task-type';
  constructor(readonly taskType: string) {
    super(`task type ${taskType} is not in the catalogue (GET /task-types lists them)`);
  }
}

/**
 * The mandate use cases: gather the facts the decider needs from the event store, let the
 * decider decide, append with the expected revision (the caller's If-Match, or the loaded one).
 */
export class MandateUseCases {
  constructor(
    private readonly store: EventStore,
    private readonly facts: DelegationFacts,
    private readonly claims: ExclusiveScopeClaims,
    private readonly now: () => Date,
  ) {}

  private at(): string {
    return this.now().toISOString();
  }

  private async taskTypeOrFail(key: string): Promise<TaskTypeDefinition> {
    const taskType = await this.facts.taskType(key);
    if (!taskType) throw new UnknownTaskTypeError(key);
    return taskType;
  }

  private async run(command: MandateCommand, context: CommandContext, expectedRevision?: ExpectedRevision): Promise<MandateCommandResult> {
    const stream = mandateStreamName(command.data.mandateId);
    const result = await handleCommand(this.store, stream, mandateDecider, command, {
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
      metadata: metadataFor(context, stream),
    }).catch((error: unknown) => {
      // A version given for a mandate that does not exist: it is not found, not a conflict.
      if (error instanceof WrongExpectedRevisionError && error.actual === 'no_stream' && command.type !== 'ProposeMandate') {
        throw new MandateNotFoundError(command.data.mandateId);
      }
      throw error;
    });
    return this.toResult(command.data.mandateId, result.newState, result.nextExpectedRevision, result.newEvents);
  }

  private toResult(mandateId: string, state: MandateState, revision: number | 'no_stream', events: readonly MandateEvent[]): MandateCommandResult {
    if (state.status === 'none' || revision === 'no_stream') throw new MandateNotFoundError(mandateId);
    return { mandateId, version: revision, mandate: state, events: events.map((e) => e.type) };
  }

  async propose(input: ProposeMandateInput, context: CommandContext): Promise<MandateCommandResult> {
    const at = this.at();
    const taskType = await this.taskTypeOrFail(input.taskType);
    const [delegatorManagesUnit, delegate] = await Promise.all([
      this.facts.managesUnit(context.actorId, input.scope.unitId),
      this.facts.person(input.delegateId),
    ]);
    const command: ProposeMandate = {
      type: 'ProposeMandate',
      data: {
        ...input,
        delegatorId: context.actorId,
        actorId: context.actorId,
        at,
        context: { delegatorManagesUnit, delegateIsMemberOfUnit: delegate?.unitIds.includes(input.scope.unitId) ?? false, taskType },
      },
    };
    const existing = await this.facts.mandate(input.mandateId);
    if (existing.value.status !== 'none') {
      // A retried proposal with the same terms is a no-op; other terms are refused by the decider.
      return this.toResult(input.mandateId, existing.value, existing.revision, decideMandate(command, existing.value));
    }
    // Check every other rule before claiming an exclusive scope, so a refused proposal leaves no claim.
    decideMandate(command, { status: 'none' });
    if (taskType.exclusive) {
      const overlap = await this.claims.claim(
        { mandateId: input.mandateId, taskType: taskType.key, scope: input.scope, period: input.period, at },
        context,
      );
      if (overlap) {
        return this.run({ ...command, data: { ...command.data, context: { ...command.data.context, overlappingExclusiveMandateId: overlap } } }, context, 'no_stream');
      }
    }
    return this.run(command, context, 'no_stream');
  }

  /** Facts for commands of formal managers: does the caller manage the mandate's unit? */
  private async managerContext(mandateId: string, actorId: string): Promise<{ mandate: ExistingMandate; actorManagesUnit: boolean }> {
    const { value } = await this.facts.mandate(mandateId);
    if (value.status === 'none') throw new MandateNotFoundError(mandateId);
    return { mandate: value, actorManagesUnit: await this.facts.managesUnit(actorId, value.scope.unitId) };
  }

  accept(mandateId: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    return this.run({ type: 'AcceptMandate', data: { mandateId, actorId: context.actorId, at: this.at() } }, context, expected);
  }

  decline(mandateId: string, reason: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    return this.run({ type: 'DeclineMandate', data: { mandateId, reason, actorId: context.actorId, at: this.at() } }, context, expected);
  }

  relinquish(mandateId: string, reason: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    return this.run({ type: 'RelinquishMandate', data: { mandateId, reason, actorId: context.actorId, at: this.at() } }, context, expected);
  }

  checkIn(mandateId: string, note: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    return this.run({ type: 'RecordCheckIn', data: { mandateId, note, actorId: context.actorId, at: this.at() } }, context, expected);
  }

  async amend(mandateId: string, changes: MandateAmendment, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { mandate, actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    const taskType = await this.taskTypeOrFail(mandate.taskType);
    return this.run(
      { type: 'AmendMandate', data: { mandateId, changes, actorId: context.actorId, at: this.at(), context: { actorManagesUnit, taskType } } },
      context,
      expected,
    );
  }

  async extend(mandateId: string, newUntil: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const at = this.at();
    const { mandate, actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    const taskType = await this.taskTypeOrFail(mandate.taskType);
    const command: MandateCommand = {
      type: 'ExtendMandate',
      data: { mandateId, newUntil, actorId: context.actorId, at, context: { actorManagesUnit, taskType } },
    };
    decideMandate(command, mandate);
    if (taskType.exclusive) {
      const overlap = await this.claims.claim(
        { mandateId, taskType: taskType.key, scope: mandate.scope, period: { from: mandate.period.from, until: newUntil }, at },
        context,
      );
      if (overlap) {
        return this.run({ ...command, data: { ...command.data, context: { ...command.data.context, overlappingExclusiveMandateId: overlap } } }, context, expected);
      }
    }
    return this.run(command, context, expected);
  }

  async suspend(mandateId: string, reason: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    return this.run({ type: 'SuspendMandate', data: { mandateId, reason, actorId: context.actorId, at: this.at(), context: { actorManagesUnit } } }, context, expected);
  }

  async resume(mandateId: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    return this.run({ type: 'ResumeMandate', data: { mandateId, actorId: context.actorId, at: this.at(), context: { actorManagesUnit } } }, context, expected);
  }

  async revoke(mandateId: string, reason: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    return this.run({ type: 'RevokeMandate', data: { mandateId, reason, actorId: context.actorId, at: this.at(), context: { actorManagesUnit } } }, context, expected);
  }

  async complete(mandateId: string, note: string | undefined, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    return this.run(
      { type: 'CompleteMandate', data: { mandateId, ...(note !== undefined ? { note } : {}), actorId: context.actorId, at: this.at(), context: { actorManagesUnit } } },
      context,
      expected,
    );
  }

  async confirm(mandateId: string, context: CommandContext, expected?: number): Promise<MandateCommandResult> {
    const { actorManagesUnit } = await this.managerContext(mandateId, context.actorId);
    return this.run({ type: 'ConfirmMandate', data: { mandateId, actorId: context.actorId, at: this.at(), context: { actorManagesUnit } } }, context, expected);
  }

  /** Scheduler: put an accepted mandate in force at its start. */
  activate(mandateId: string, at: string, context: CommandContext): Promise<MandateCommandResult> {
    return this.run({ type: 'ActivateMandate', data: { mandateId, actorId: context.actorId, at } }, context);
  }

  /** Scheduler: end a mandate whose period ran out. */
  expire(mandateId: string, at: string, context: CommandContext): Promise<MandateCommandResult> {
    return this.run({ type: 'ExpireMandate', data: { mandateId, actorId: context.actorId, at } }, context);
  }

  /** Scheduler: the delegator no longer manages the unit; a formal manager must confirm or revoke. */
  flagForReconfirmation(mandateId: string, at: string, context: CommandContext): Promise<MandateCommandResult> {
    return this.run(
      { type: 'FlagMandateForReconfirmation', data: { mandateId, actorId: context.actorId, at, reason: 'delegator-no-longer-manages' } },
      context,
    );
  }
}
