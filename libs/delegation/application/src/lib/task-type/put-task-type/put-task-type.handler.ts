import { handleCommand, type EventStore } from '@leadership/event-store';
import { taskTypeStreamName, taskTypeDecider, type TaskTypeCommand, type TaskTypeDefinition, type TaskTypeState } from '@leadership/delegation-domain';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';

export interface PutTaskTypeResult {
  readonly definition: TaskTypeDefinition;
  readonly version: number;
  readonly changed: boolean;
}

/**
 * An admin defines a task type, or changes it to the given definition (an unchanged PUT appends
 * nothing). Which command it is depends on the stream's state, so the command is chosen inside
 * the one load-and-decide of `handleCommand`: a decider over the loaded state.
 */
export class PutTaskTypeHandler implements UseCase<TaskTypeDefinition, PutTaskTypeResult> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  async execute(definition: TaskTypeDefinition, context: CommandContext): Promise<PutTaskTypeResult> {
    const at = this.now().toISOString();
    const stream = taskTypeStreamName(definition.key);
    const { key, ...changes } = definition;
    const commandFor = (state: TaskTypeState): TaskTypeCommand =>
      state.status === 'undefined'
        ? { type: 'DefineTaskType', data: { definition, actorId: context.actorId, at } }
        : { type: 'ChangeTaskType', data: { key, changes, actorId: context.actorId, at } };
    const put = { ...taskTypeDecider, decide: (_: TaskTypeDefinition, state: TaskTypeState) => taskTypeDecider.decide(commandFor(state), state) };
    const result = await handleCommand(this.store, stream, put, definition, { metadata: metadataFor(context, stream) });
    if (result.newState.status !== 'defined') throw new Error(`task type ${key} was not defined`);
    return { definition: result.newState.definition, version: Number(result.nextExpectedRevision), changed: result.newEvents.length > 0 };
  }
}
