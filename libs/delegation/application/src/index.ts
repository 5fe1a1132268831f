export * from './lib/delegation-facts';
export * from './lib/exclusive-scope';
export * from './lib/mandate.use-cases';
export * from './lib/directory.use-cases';
export * from './lib/task-type.use-cases';
