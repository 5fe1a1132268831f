export * from './lib/read-model/plan.read-model';
export * from './lib/messaging/plan.integration-events';
export * from './lib/http/plans.controller';
