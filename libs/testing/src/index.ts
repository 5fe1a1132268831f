export * from './lib/test-infra';
export * from './lib/container-runtime';
export * from './lib/bench';
export * from './lib/dedicated-kafka';
export * from './lib/test-event-store';
export * from './lib/tcp-outage.proxy';
export * from './lib/service-process';
export * from './lib/delegation-service';
