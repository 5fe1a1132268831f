import { evolveRecorded, type ReadOnlyEventStore } from '@leadership/event-store';
import { DEFAULT_TASK_TYPES, TASK_TYPE_STREAM_CATEGORY, taskTypeDecider, type TaskTypeDefinition, type TaskTypeState } from '@leadership/delegation-domain';
import { idOf } from '@leadership/kernel';

/** The catalogue: the defaults, overridden or extended by admins' audited changes. */
export class ListTaskTypesQuery {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readAll'>) {}

  async execute(): Promise<TaskTypeDefinition[]> {
    const states = new Map<string, TaskTypeState>();
    for (const e of await this.store.readAll({ filter: { streamCategories: [TASK_TYPE_STREAM_CATEGORY] } })) {
      const key = idOf(e.streamName);
      states.set(key, evolveRecorded(taskTypeDecider, states.get(key) ?? taskTypeDecider.initialState(), e));
    }
    const byKey = new Map(DEFAULT_TASK_TYPES.map((t) => [t.key, t]));
    for (const [key, state] of states) if (state.status === 'defined') byKey.set(key, state.definition);
    return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}
