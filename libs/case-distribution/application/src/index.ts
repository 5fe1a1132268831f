export * from './lib/case/case-command.result';
export * from './lib/case/register-case/register-case.handler';
export * from './lib/case/close-case/close-case.handler';
export * from './lib/case/get-case/get-case.query';
