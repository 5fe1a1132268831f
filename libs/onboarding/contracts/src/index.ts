export * from './lib/plan-changed.integration-event';
export * from './lib/onboarding-contracts';
export * from './lib/onboarding.asyncapi';
