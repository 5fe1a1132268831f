/*
 * The delegation use cases, one folder per use case (`mandate/propose-mandate/…`): each handler
 * is a class with one `execute(input, context)`, so a controller or the scheduler depends on
 * exactly the handlers it calls.
 */
export * from './lib/use-case';
export * from './lib/facts/delegation.facts';
export * from './lib/facts/current-authority';
export * from './lib/task-type/unknown-task-type.error';

export * from './lib/mandate/mandate-command.executor';
export * from './lib/mandate/mandate-command.handler';
export * from './lib/mandate/exclusive-scope/exclusive-scope.claims';
export * from './lib/mandate/framework-checks.port';
export * from './lib/mandate/propose-mandate/propose-mandate.handler';
export * from './lib/mandate/accept-mandate/accept-mandate.handler';
export * from './lib/mandate/decline-mandate/decline-mandate.handler';
export * from './lib/mandate/relinquish-mandate/relinquish-mandate.handler';
export * from './lib/mandate/record-check-in/record-check-in.handler';
export * from './lib/mandate/amend-mandate/amend-mandate.handler';
export * from './lib/mandate/extend-mandate/extend-mandate.handler';
export * from './lib/mandate/suspend-mandate/suspend-mandate.handler';
export * from './lib/mandate/resume-mandate/resume-mandate.handler';
export * from './lib/mandate/revoke-mandate/revoke-mandate.handler';
export * from './lib/mandate/complete-mandate/complete-mandate.handler';
export * from './lib/mandate/confirm-mandate/confirm-mandate.handler';
export * from './lib/mandate/activate-mandate/activate-mandate.handler';
export * from './lib/mandate/expire-mandate/expire-mandate.handler';
export * from './lib/mandate/flag-mandate-for-reconfirmation/flag-mandate-for-reconfirmation.handler';

export * from './lib/directory/directory-plan.executor';
export * from './lib/directory/directory-upsert';
export * from './lib/directory/upsert-unit/upsert-unit.handler';
export * from './lib/directory/upsert-person/upsert-person.handler';
export * from './lib/directory/set-person-absences/set-person-absences.handler';
export * from './lib/directory/directory-import.pipeline';
export * from './lib/directory/import-directory/import-directory.handler';
export * from './lib/directory/import-directory-stream/import-directory-stream.handler';

export * from './lib/task-type/list-task-types/list-task-types.query';
export * from './lib/task-type/put-task-type/put-task-type.handler';
