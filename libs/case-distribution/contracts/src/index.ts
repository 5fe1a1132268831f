export * from './lib/case-changed.integration-event';
export * from './lib/case-distribution-contracts';
export * from './lib/case-distribution.asyncapi';
