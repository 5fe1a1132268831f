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
export async function upsertIfNewer<T extends Document>(
  collection: Collection<T>,
  id: string,
  revision: number,
  set: Partial<T>,
  revisionField = 'revision',
): Promise<UpsertOutcome> {
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
