export * from './csv-records';
export * from './sample-event-log';
export * from './run-audit-cli';
