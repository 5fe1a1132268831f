export * from './lib/decider';
export * from './lib/stream-name';
export * from './lib/command-context';
export * from './lib/sha256';
export * from './lib/time/zoned-time';
