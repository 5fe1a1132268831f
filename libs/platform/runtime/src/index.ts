export * from './lib/service-config';
export * from './lib/open-event-store';
export * from './lib/service-lifecycle';
export * from './lib/start-service';
export * from './lib/component-logger';
