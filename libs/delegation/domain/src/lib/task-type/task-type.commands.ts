import type { TaskTypeDefinition } from './task-type';

/** Admin adds a task type to the catalogue. */
export interface DefineTaskType {
  readonly type: 'DefineTaskType';
  readonly data: { readonly definition: TaskTypeDefinition; readonly actorId: string; readonly at: string };
}

/** What may change on a task type: everything but its key. */
export type TaskTypeChanges = Partial<Omit<TaskTypeDefinition, 'key'>>;

/** Admin changes a task type; fields left out stay as they are. */
export interface ChangeTaskType {
  readonly type: 'ChangeTaskType';
  readonly data: {
    readonly key: string;
    readonly changes: TaskTypeChanges;
    readonly actorId: string;
    readonly at: string;
  };
}

export type TaskTypeCommand = DefineTaskType | ChangeTaskType;
