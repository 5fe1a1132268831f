import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';
import { DuplicateKeyError, translateMongoError } from './mongo-errors';

/** `applied`: the write happened; `stale`: the stored document was as new or newer, nothing changed. */
export type ApplyOutcome = 'applied' | 'stale';

/** Where a guarded write goes: a mongoose model (casts by its schema) or a driver collection. */
export type GuardedTarget<T extends Document> = Model<T> | Collection<T>;

export interface ApplyIfNewerOptions {
  /** The stored field holding the revision or position (default `revision`). */
  readonly field?: string;
  /**
   * Client-side bound of the write, connection checkout and reply included [10 s]: a write that
   * hangs would otherwise hold this document's queue (below) for good.
   */
  readonly timeoutMs?: number;
  /**
   * Create the document when it does not exist [true]. False for documents another event creates
   * (e.g. a delivery planned by its notification): a later event for one that is not there yet
   * changes nothing and answers `stale`, instead of creating a partial document.
   */
  readonly upsert?: boolean;
}

/**
 * The revision guard of every read-model document in the repository: writes `set` (and the
 * incoming revision) only if the stored revision (or position) is older, in one single-document
 * operation, so redelivery and replays are harmless and no transaction is needed (FerretDB has
 * none).
 *
 * The filter `{ _id, [field]: { $lt: revision } }` with upsert matches nothing when the stored
 * document is as new or newer; the upsert then tries to insert a second document with the same
 * `_id` and the server refuses it with a duplicate key, which here means "already applied".
 * `revision` may be a bigint (event-store positions), stored as a 64-bit integer.
 */
export function applyIfNewer<T extends Document>(
  target: GuardedTarget<T>,
  id: string,
  revision: number | bigint,
  set: Partial<T>,
  options: ApplyIfNewerOptions = {},
): Promise<ApplyOutcome> {
  const field = options.field ?? 'revision';
  const collection = isModel(target) ? target.collection : target;
  const timeoutMS = options.timeoutMs ?? 10_000;
  const upsert = options.upsert ?? true;
  return serialisedPerDocument(`${collection.dbName}.${collection.collectionName}/${id}`, () => guardedUpsert(target, id, revision, set, field, timeoutMS, upsert));
}

/** A mongoose model is a class (a function); a collection — the driver's or `model.collection` — is not. */
function isModel<T extends Document>(target: GuardedTarget<T>): target is Model<T> {
  return typeof target === 'function';
}

/*
 * MongoDB applies a filtered update atomically, so the revision guard holds between processes.
 * FerretDB 1.24 (our local stand-in) does not: it reads the matching document and writes it back
 * in separate steps, so two racing guarded updates can both pass the filter and the older one can
 * land last (seen in the authority store's race test). Writes to one document from one process
 * are therefore queued; across processes the guarantee is MongoDB's (see the README).
 */
const inFlight = new Map<string, Promise<unknown>>();

function serialisedPerDocument<R>(key: string, write: () => Promise<R>): Promise<R> {
  const previous = inFlight.get(key) ?? Promise.resolve();
  const next = previous.then(write, write);
  inFlight.set(key, next);
  const cleanup = () => {
    if (inFlight.get(key) === next) inFlight.delete(key);
  };
  next.then(cleanup, cleanup);
  return next;
}

async function guardedUpsert<T extends Document>(
  target: GuardedTarget<T>,
  id: string,
  revision: number | bigint,
  set: Partial<T>,
  field: string,
  timeoutMS: number,
  upsert: boolean,
): Promise<ApplyOutcome> {
  // Typed loosely on purpose: `field` is chosen by the caller, so neither mongoose's nor the
  // driver's filter type can check it; the schema (for models) still casts the values.
  const filter = { _id: id, [field]: { $lt: revision } } as never;
  const update = { $set: { ...set, [field]: revision } } as never;
  try {
    const result = isModel(target) ? await target.updateOne(filter, update, { upsert, timeoutMS }).exec() : await target.updateOne(filter, update, { upsert, timeoutMS });
    return result.modifiedCount + result.upsertedCount > 0 ? 'applied' : 'stale';
  } catch (error) {
    const typed = translateMongoError(error);
    if (typed instanceof DuplicateKeyError) return 'stale';
    throw typed;
  }
}

/** One write of {@link applyAllIfNewer}: `set` (and `revision`) for the document `id`, if its stored revision is older. */
export interface GuardedWrite<T extends Document> {
  readonly id: string;
  readonly revision: number | bigint;
  readonly set: Partial<T>;
  /**
   * The caller expects the document not to exist yet (the event that creates it): it is inserted,
   * with the others of the call in one `insertMany`; only if it exists after all (a redelivery, a
   * replay) is it written through the guard. Default: it is expected to exist, and `upsert` says
   * whether a missing one is created.
   */
  readonly create?: boolean;
}

export interface ApplyAllIfNewerOptions extends ApplyIfNewerOptions {
  /**
   * Guarded updates in flight at once [8]. FerretDB 1.24 holds two PostgreSQL connections for a
   * filtered update that matches (the query's, kept open until the command ends, and the
   * update's), and its pool has 20 (see `npm run infra`): past about ten such updates at once —
   * from all its clients, or the statements of one multi-update command — every connection
   * waits for a second one and the server stops answering altogether. Measured: one `bulkWrite`
   * of 25 guarded updates hung it for good; 8 at a time did not. So the updates here are single
   * `updateOne`s, a few at a time, never one large update command.
   */
  readonly concurrency?: number;
}

/**
 * {@link applyIfNewer} for many documents at once, with the same guard and outcomes, at a
 * fraction of the round trips: the documents to create go in one unordered `insertMany` (a
 * duplicate key there means the document exists: it is then written through the guard, so a
 * redelivered creation changes nothing that is newer), the rest are guarded `updateOne`s,
 * `concurrency` at a time, each queued behind any other write to its document in this process.
 * Measured on FerretDB 1.24 on PostgreSQL: an insert in a batch of 100 costs 0.1 ms, a guarded
 * upsert of a new document 1.4 ms.
 *
 * Each id at most once per call (a read model merges what a page of events does to one document
 * into one write, at the revision of the last of those events). Resolves with the outcome per id;
 * throws the first error other than a duplicate key (writes that succeeded stay: each is guarded,
 * so a retry of the whole call is harmless).
 */
export async function applyAllIfNewer<T extends Document>(
  target: GuardedTarget<T>,
  writes: readonly GuardedWrite<T>[],
  options: ApplyAllIfNewerOptions = {},
): Promise<Map<string, ApplyOutcome>> {
  const field = options.field ?? 'revision';
  const collection = isModel(target) ? target.collection : target;
  const timeoutMS = options.timeoutMs ?? 10_000;
  const outcomes = new Map<string, ApplyOutcome>();
  const ids = new Set<string>();
  for (const write of writes) {
    if (ids.has(write.id)) throw new RangeError(`applyAllIfNewer: document ${write.id} is written twice in one call; merge its writes`);
    ids.add(write.id);
  }

  const creations = writes.filter((write) => write.create);
  const existing = new Set<string>();
  if (creations.length > 0) {
    const docs = creations.map((write) => ({ ...write.set, _id: write.id, [field]: write.revision }) as never);
    try {
      await collection.insertMany(docs, { ordered: false, timeoutMS });
    } catch (error) {
      const failed = (error as { writeErrors?: readonly { index?: number; code?: unknown }[] | { index?: number; code?: unknown } }).writeErrors;
      const list = Array.isArray(failed) ? failed : failed ? [failed] : [];
      const other = list.find((w) => w.code !== 11000 && w.code !== 11001);
      if (list.length === 0 || other) throw translateMongoError(error);
      for (const w of list) {
        const write = creations[w.index ?? -1];
        if (write) existing.add(write.id);
      }
    }
    for (const write of creations) if (!existing.has(write.id)) outcomes.set(write.id, 'applied');
  }

  const guarded = writes.filter((write) => !write.create || existing.has(write.id));
  const upsertOf = (write: GuardedWrite<T>): boolean => (write.create ? false : (options.upsert ?? true));
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < guarded.length && !failure) {
      const write = guarded[next++] as GuardedWrite<T>;
      const key = `${collection.dbName}.${collection.collectionName}/${write.id}`;
      try {
        outcomes.set(write.id, await serialisedPerDocument(key, () => guardedUpsert(target, write.id, write.revision, write.set, field, timeoutMS, upsertOf(write))));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 8), guarded.length) }, worker));
  if (failure) throw failure.error;
  return outcomes;
}
