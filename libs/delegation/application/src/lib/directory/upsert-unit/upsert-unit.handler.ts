import type { EventStore } from '@leadership/event-store';
import type { Unit } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { upsertOne, type UpsertResult } from '../directory-upsert';

/** HR registers or updates a unit (its parent must exist; no cycles). */
export class UpsertUnitHandler implements UseCase<Unit, UpsertResult<Unit>> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(unit: Unit, context: CommandContext): Promise<UpsertResult<Unit>> {
    return upsertOne(this.store, 'unit', { units: [unit] }, unit.id, unit, this.now().toISOString(), context);
  }
}
