export * from './lib/stream-names';
export * from './lib/plan/plan.commands';
export * from './lib/plan/plan.events';
export * from './lib/plan/plan.errors';
export * from './lib/plan/plan.decider';
