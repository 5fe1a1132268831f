import { handleCommand, type EventStore } from '@leadership/event-store';
import {
  DEFAULT_TASK_TYPES,
  TASK_TYPE_STREAM_CATEGORY,
  taskTypeDecider,
  taskTypeStreamName,
  type TaskTypeDefinition,
  type TaskTypeEvent,
  type TaskTypeState,
} from '@leadership/delegation-domain';
import { metadataFor, type CommandContext } from '@leadership/kernel';

/** The catalogue: the defaults, overridden or extended by admins' audited changes. */
export class TaskTypeUseCases {
  constructor(private readonly store: EventStore, private readonly now: () => Date) {}

  async list(): Promise<TaskTypeDefinition[]> {
    const states = new Map<string, TaskTypeState>();
    for (const e of await this.store.readAll({ filter: { streamCategories: [TASK_TYPE_STREAM_CATEGORY] } })) {
      const key = e.streamName.slice(TASK_TYPE_STREAM_CATEGORY.length + 1);
      states.set(key, taskTypeDecider.evolve(states.get(key) ?? taskTypeDecider.initialState(), { type: e.type, data: e.data } as TaskTypeEvent));
    }
    const byKey = new Map(DEFAULT_TASK_TYPES.map((t) => [t.key, t]));
    for (const [key, state] of states) if (state.status === 'defined') byKey.set(key, state.definition);
    return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Defines the type, or changes it to the given definition (an unchanged PUT appends nothing). */
  async put(definition: TaskTypeDefinition, context: CommandContext): Promise<{ definition: TaskTypeDefinition; version: number; changed: boolean }> {
    const at = this.now().toISOString();
    const stream = taskTypeStreamName(definition.key);
    const stored = await this.store.readStream(stream);
    const { key, ...changes } = definition;
    const command =
      stored.length === 0
        ? { type: 'DefineTaskType' as const, data: { definition, actorId: context.actorId, at } }
        : { type: 'ChangeTaskType' as const, data: { key, changes, actorId: context.actorId, at } };
    const result = await handleCommand(this.store, stream, taskTypeDecider, command, { metadata: metadataFor(context, stream) });
    if (result.newState.status !== 'defined') throw new Error(`task type ${key} was not defined`);
    return { definition: result.newState.definition, version: Number(result.nextExpectedRevision), changed: result.newEvents.length > 0 };
  }
}
