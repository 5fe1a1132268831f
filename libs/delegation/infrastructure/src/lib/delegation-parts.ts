import { FrameworkCheckCatalogue } from '@leadership/delegation-contracts';
import type { EventStore } from '@leadership/event-store';
import {
  AcceptMandateHandler,
  ActivateMandateHandler,
  AmendMandateHandler,
  CompleteMandateHandler,
  ConfirmMandateHandler,
  CurrentAuthority,
  DeclineMandateHandler,
  DelegationFacts,
  ExpireMandateHandler,
  ExtendMandateHandler,
  FlagMandateForReconfirmationHandler,
  ImportDirectoryHandler,
  ImportDirectoryStreamHandler,
  ListTaskTypesQuery,
  ProposeMandateHandler,
  PutTaskTypeHandler,
  RecordCheckInHandler,
  RelinquishMandateHandler,
  ResumeMandateHandler,
  RevokeMandateHandler,
  SetPersonAbsencesHandler,
  SuspendMandateHandler,
  UpsertPersonHandler,
  UpsertUnitHandler,
} from '@leadership/delegation-application';
import type { Db } from 'mongodb';
import { MongoProjectionBookkeeping, mongooseConnectionFor, Projector, type ProjectorOptions } from '@leadership/projection';
import { DelegationQueries } from './read-model/delegation-queries';
import { DelegationReadModel } from './read-model/delegation-read-model';

/** The mandate use cases, one handler each (see libs/delegation/application). */
export interface MandateHandlers {
  readonly propose: ProposeMandateHandler;
  readonly accept: AcceptMandateHandler;
  readonly decline: DeclineMandateHandler;
  readonly relinquish: RelinquishMandateHandler;
  readonly checkIn: RecordCheckInHandler;
  readonly amend: AmendMandateHandler;
  readonly extend: ExtendMandateHandler;
  readonly suspend: SuspendMandateHandler;
  readonly resume: ResumeMandateHandler;
  readonly revoke: RevokeMandateHandler;
  readonly complete: CompleteMandateHandler;
  readonly confirm: ConfirmMandateHandler;
  readonly activate: ActivateMandateHandler;
  readonly expire: ExpireMandateHandler;
  readonly flagForReconfirmation: FlagMandateForReconfirmationHandler;
}

export interface DirectoryHandlers {
  readonly upsertUnit: UpsertUnitHandler;
  readonly upsertPerson: UpsertPersonHandler;
  readonly setAbsences: SetPersonAbsencesHandler;
  readonly import: ImportDirectoryHandler;
  readonly importStream: ImportDirectoryStreamHandler;
}

export interface TaskTypeHandlers {
  readonly list: ListTaskTypesQuery;
  readonly put: PutTaskTypeHandler;
}

/**
 * The delegation context's parts, built once per process by the composition root
 * (services/delegation) and by tests. Never injected as a whole: controllers get the narrow
 * ports of http/delegation-http.ports.ts, the scheduler the few parts it uses.
 */
export interface DelegationParts {
  readonly store: EventStore;
  readonly db: Db;
  readonly now: () => Date;
  readonly facts: DelegationFacts;
  /** Units and mandates as they stand now, in memory, caught up from the store before each answer: authority now and the scheduler's input. */
  readonly authority: CurrentAuthority;
  readonly mandates: MandateHandlers;
  readonly directory: DirectoryHandlers;
  readonly taskTypes: TaskTypeHandlers;
  readonly readModel: DelegationReadModel;
  readonly queries: DelegationQueries;
  readonly projector: Projector;
  /** The framework-check kinds the contexts publish; propose and amend accept only these. */
  readonly frameworkChecks: FrameworkCheckCatalogue;
}

export function createDelegationParts(
  store: EventStore,
  db: Db,
  now: () => Date = () => new Date(),
  projection: Omit<ProjectorOptions, 'bookkeeping'> = {},
  frameworkChecks: FrameworkCheckCatalogue = new FrameworkCheckCatalogue([]),
): DelegationParts {
  const facts = new DelegationFacts(store);
  const connection = mongooseConnectionFor(db);
  const readModel = new DelegationReadModel(connection);
  return {
    store,
    db,
    now,
    facts,
    authority: new CurrentAuthority(store),
    mandates: {
      propose: new ProposeMandateHandler(store, now, frameworkChecks),
      accept: new AcceptMandateHandler(store, now),
      decline: new DeclineMandateHandler(store, now),
      relinquish: new RelinquishMandateHandler(store, now),
      checkIn: new RecordCheckInHandler(store, now),
      amend: new AmendMandateHandler(store, now, frameworkChecks),
      extend: new ExtendMandateHandler(store, now),
      suspend: new SuspendMandateHandler(store, now),
      resume: new ResumeMandateHandler(store, now),
      revoke: new RevokeMandateHandler(store, now),
      complete: new CompleteMandateHandler(store, now),
      confirm: new ConfirmMandateHandler(store, now),
      activate: new ActivateMandateHandler(store),
      expire: new ExpireMandateHandler(store),
      flagForReconfirmation: new FlagMandateForReconfirmationHandler(store),
    },
    directory: { upsertUnit: new UpsertUnitHandler(store, now), upsertPerson: new UpsertPersonHandler(store, now), setAbsences: new SetPersonAbsencesHandler(store, now), import: new ImportDirectoryHandler(store, now), importStream: new ImportDirectoryStreamHandler(store, now) },
    taskTypes: { list: new ListTaskTypesQuery(store), put: new PutTaskTypeHandler(store, now) },
    readModel,
    queries: new DelegationQueries(readModel),
    projector: new Projector(store, readModel, { ...projection, bookkeeping: new MongoProjectionBookkeeping(connection) }),
    frameworkChecks,
  };
}
