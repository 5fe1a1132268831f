import type { EventStore } from '@leadership/event-store';
import type { Person } from '@leadership/delegation-domain';
import type { CommandContext } from '@leadership/kernel';
import type { UseCase } from '../../use-case';
import { upsertOne, type UpsertResult } from '../directory-upsert';

/** HR registers or updates a person (the units they belong to must exist). */
export class UpsertPersonHandler implements UseCase<Person, UpsertResult<Person>> {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
  ) {}

  execute(person: Person, context: CommandContext): Promise<UpsertResult<Person>> {
    return upsertOne(this.store, 'person', { people: [person] }, person.id, person, this.now().toISOString(), context);
  }
}
