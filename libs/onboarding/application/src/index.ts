export * from './lib/plan/plan-command.result';
export * from './lib/plan/generate-draft-plan/generate-draft-plan.handler';
export * from './lib/plan/complete-plan/complete-plan.handler';
export * from './lib/plan/get-plan/get-plan.query';
