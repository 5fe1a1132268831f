export * from './lib/stream-names';
export * from './lib/case/case.commands';
export * from './lib/case/case.events';
export * from './lib/case/case.errors';
export * from './lib/case/case.decider';
