export * from './delegation-world.generator';
export * from './csv-records';
