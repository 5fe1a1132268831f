export * from './lib/case-contract-parts';
export * from './lib/case-changed.integration-event';
export * from './lib/case-assignment.integration-event';
export * from './lib/case-submitted.integration-event';
export * from './lib/framework-checks.catalogue';
export * from './lib/case-distribution-contracts';
export * from './lib/case-distribution.asyncapi';
