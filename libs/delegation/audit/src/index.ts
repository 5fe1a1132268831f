export * from './lib/replay/replay-state-at';
export * from './lib/replay/leadership-as-of';
export * from './lib/replay/delegation-replayer';
