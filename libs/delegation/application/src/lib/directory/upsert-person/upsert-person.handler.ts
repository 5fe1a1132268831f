import type { EventStore } from '@leadership/event-store';
import type { PersonRecord } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { upsertOne, type UpsertResult } from '../directory-upsert';

/** HR registers or updates a person (the units they belong to must exist). */
export class UpsertPersonHandler implements UseCase<PersonRecord, UpsertResult<PersonRecord>> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(person: PersonRecord, context: CommandContext): Promise<UpsertResult<PersonRecord>> {
    return upsertOne(this.store, 'person', { people: [person] }, person.id, person, this.now().toISOString(), context);
  }
}
