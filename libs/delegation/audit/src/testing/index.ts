export * from './delegation-world.generator';
export * from './csv-records';
export * from './append-world';
