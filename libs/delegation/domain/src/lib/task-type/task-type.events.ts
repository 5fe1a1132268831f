import type { TaskTypeChanges } from './task-type.commands';
import type { TaskTypeDefinition } from './task-type';

/** A task type was added to the catalogue (audited: who and when). */
export interface TaskTypeDefined {
  readonly type: 'TaskTypeDefined';
  readonly data: { readonly definition: TaskTypeDefinition; readonly actorId: string; readonly at: string };
}

/** A task type changed; `changes` holds the new values and `previous` the old ones of the same fields. */
export interface TaskTypeChanged {
  readonly type: 'TaskTypeChanged';
  readonly data: {
    readonly key: string;
    readonly changes: TaskTypeChanges;
    readonly previous: TaskTypeChanges;
    readonly actorId: string;
    readonly at: string;
  };
}

export type TaskTypeEvent = TaskTypeDefined | TaskTypeChanged;
