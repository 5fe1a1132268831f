export * from './lib/read-model/case.read-model';
export * from './lib/messaging/case.integration-events';
export * from './lib/http/cases.controller';
