export * from './lib/mongo-errors';
export * from './lib/upsert-if-newer';
