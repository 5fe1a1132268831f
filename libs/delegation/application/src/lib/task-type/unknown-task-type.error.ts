/** A task type that does not exist in the catalogue (422). */
export class UnknownTaskTypeError extends Error {
  override readonly name = 'UnknownTaskTypeError';
  readonly rule = 'mandate.unknown-task-type';
  constructor(readonly taskType: string) {
    super(`task type ${taskType} is not in the catalogue (GET /task-types lists them)`);
  }
}
