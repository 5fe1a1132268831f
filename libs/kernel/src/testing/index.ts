export * from './decider-specification';
export * from './tally.decider';
export * from './seeded-random';
