import { MandateNotFoundError, type ExistingMandate, type MandateState, type TaskTypeDefinition } from '@leadership/delegation-domain';
import type { DelegationFacts } from '../facts/delegation.facts';
import { UnknownTaskTypeError } from '../task-type/unknown-task-type.error';

/** The loaded mandate, for commands whose facts depend on it (its unit, its task type). */
export function existingMandate(state: MandateState, mandateId: string): ExistingMandate {
  if (state.status === 'none') throw new MandateNotFoundError(mandateId);
  return state;
}

export async function taskTypeOrFail(facts: DelegationFacts, key: string): Promise<TaskTypeDefinition> {
  const taskType = await facts.taskType(key);
  if (!taskType) throw new UnknownTaskTypeError(key);
  return taskType;
}
