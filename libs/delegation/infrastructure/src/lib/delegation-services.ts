import type { EventStore } from '@leadership/event-store';
import {
  DelegationFacts,
  DirectoryUseCases,
  ExclusiveScopeClaims,
  MandateUseCases,
  TaskTypeUseCases,
} from '@leadership/delegation-application';
import type { Db } from 'mongodb';
import { DelegationQueries } from './read-model/delegation-queries';
import { DelegationReadModel } from './read-model/delegation-read-model';
import { Projector } from './read-model/projector';

/** Everything the delegation API and workers use, built once per process. */
export interface DelegationServices {
  readonly store: EventStore;
  readonly db: Db;
  readonly now: () => Date;
  readonly facts: DelegationFacts;
  readonly mandates: MandateUseCases;
  readonly directory: DirectoryUseCases;
  readonly taskTypes: TaskTypeUseCases;
  readonly readModel: DelegationReadModel;
  readonly queries: DelegationQueries;
  readonly projector: Projector;
}

export function createDelegationServices(store: EventStore, db: Db, now: () => Date = () => new Date(), onError?: (e: Error) => void): DelegationServices {
  const facts = new DelegationFacts(store);
  const readModel = new DelegationReadModel(db);
  return {
    store,
    db,
    now,
    facts,
    mandates: new MandateUseCases(store, facts, new ExclusiveScopeClaims(store, facts, now), now),
    directory: new DirectoryUseCases(store, now),
    taskTypes: new TaskTypeUseCases(store, now),
    readModel,
    queries: new DelegationQueries(readModel),
    projector: new Projector(store, readModel, onError ? { onError } : {}),
  };
}
