export * from './lib/shared/decider';
export * from './lib/shared/instant';
export * from './lib/shared/stream-names';
export * from './lib/task-type/task-type';
export * from './lib/task-type/task-type.commands';
export * from './lib/task-type/task-type.events';
export * from './lib/task-type/task-type.errors';
export * from './lib/task-type/task-type.decider';
