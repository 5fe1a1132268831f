export * from './lib/plan/plan-command.result';
export * from './lib/plan/register-plan/register-plan.handler';
export * from './lib/plan/close-plan/close-plan.handler';
export * from './lib/plan/get-plan/get-plan.query';
