import { handleCommand, readAggregate, type EventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import {
  caseDecider,
  caseStreamName,
  queueDecider,
  QueueNotFoundError,
  queueStreamName,
  type Priority,
  type RegisterCase,
  type Skill,
} from '@leadership/case-distribution-domain';
import { toCaseCommandResult, type CaseCommandResult } from '../case-command.result';

export interface RegisterCaseInput {
  readonly caseId: string;
  readonly queueId: string;
  readonly title: string;
  readonly description?: string;
  readonly priority: Priority;
  readonly channel: string;
  readonly requiredSkills?: readonly Skill[];
  readonly preferredSkills?: readonly Skill[];
  readonly externalRef?: string;
}

/**
 * Registers a new case in an existing queue (the case belongs to the queue's unit). With an
 * idempotency key on the context the event id is derived from it, so a retried request appends
 * nothing the second time.
 */
export class RegisterCaseHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    /** Told after a new case was recorded (the dispatcher routes it). */
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: RegisterCaseInput, context: CommandContext): Promise<CaseCommandResult> {
    const queue = await readAggregate(this.store, queueDecider, queueStreamName(input.queueId));
    if (queue.state.status === 'none') throw new QueueNotFoundError(input.queueId);
    const stream = caseStreamName(input.caseId);
    const at = this.now().toISOString();
    const { requiredSkills = [], preferredSkills = [], ...rest } = input;
    const command: RegisterCase = {
      type: 'RegisterCase',
      data: { ...rest, requiredSkills, preferredSkills, unitId: queue.state.config.unitId, actorId: context.actorId, at, receivedAt: at },
    };
    const result = await handleCommand(this.store, stream, caseDecider, command, { metadata: metadataFor(context, stream) });
    if (result.newEvents.length > 0) this.changed();
    return toCaseCommandResult(input.caseId, result);
  }
}
