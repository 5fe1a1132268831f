export * from './lib/config';
export * from './lib/component';
export * from './lib/local-infra';
export { isPortOpen } from './lib/process';
