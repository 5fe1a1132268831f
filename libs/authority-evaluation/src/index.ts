export * from './lib/evaluate-authority';
