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
