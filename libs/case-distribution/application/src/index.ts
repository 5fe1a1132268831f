export * from './lib/case/case-command.result';
export * from './lib/case/register-case/register-case.handler';
export * from './lib/case/resolve-case/resolve-case.handler';
export * from './lib/case/get-case/get-case.query';
