export * from './decider-specification';
export * from './tally.decider';
