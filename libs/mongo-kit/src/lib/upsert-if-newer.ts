import type { Collection, Document } from 'mongodb';
import { DuplicateKeyError, translateMongoError } from './mongo-errors';

export type UpsertOutcome = 'applied' | 'stale';

/**
 * Writes a read-model document only if the incoming revision (or position) is newer than the
 * stored one, in one single-document operation, so redelivery and replays are harmless and no
 * transaction is needed (FerretDB has none).
 *
 * The filter `{ _id, [field]: { $lt: revision } }` matches nothing when the stored document is
 * as new or newer; the upsert then tries to insert a second document with the same `_id` and
 * the server refuses it with a duplicate key, which here means "already applied".
 */
export function upsertIfNewer<T extends Document>(
  collection: Collection<T>,
  id: string,
  revision: number,
  set: Partial<T>,
  revisionField = 'revision',
): Promise<UpsertOutcome> {
  return serialisedPerDocument(`${collection.dbName}.${collection.collectionName}/${id}`, () => guardedUpsert(collection, id, revision, set, revisionField));
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

async function guardedUpsert<T extends Document>(collection: Collection<T>, id: string, revision: number, set: Partial<T>, revisionField: string): Promise<UpsertOutcome> {
  try {
    const result = await collection.updateOne(
      { _id: id, [revisionField]: { $lt: revision } } as never,
      { $set: { ...set, [revisionField]: revision } } as never,
      { upsert: true },
    );
    return result.modifiedCount + result.upsertedCount > 0 ? 'applied' : 'stale';
  } catch (error) {
    const typed = translateMongoError(error);
    if (typed instanceof DuplicateKeyError) return 'stale';
    throw typed;
  }
}
