import type { CommandContext } from '@leadership/kernel';

/**
 * The one shape of every command use case: a class with a single `execute`. Controllers, the
 * scheduler and tests depend on the handler they call (a narrow port), never on a bag of them.
 */
export interface UseCase<Input, Output> {
  execute(input: Input, context: CommandContext): Promise<Output>;
}
