export * from './lib/topic-name';
export * from './lib/define-integration-event';
export * from './lib/cloud-event';
export * from './lib/integration-event.registry';
export * from './lib/async-api.generator';
