export * from './delegation-world.generator';
export * from './append-world';
