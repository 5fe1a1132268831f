import type { Collection, Db } from 'mongodb';
import { DuplicateKeyError, translateMongoError } from '@leadership/mongo-kit';
import type { RelayCheckpointStore } from './relay-checkpoint.store';

/** A checkpoint document: one per relay. */
export interface RelayCheckpointDocument {
  readonly _id: string;
  /** Stored as a 64-bit integer (BSON long), read back as bigint. */
  readonly position: bigint;
  readonly updatedAt: Date;
}

/**
 * Checkpoints in MongoDB (or FerretDB), for services whose read models live there. One
 * single-document upsert per save, guarded so that the position only grows; no transactions.
 */
export class MongoRelayCheckpointStore implements RelayCheckpointStore {
  constructor(private readonly collection: Collection<RelayCheckpointDocument>) {}

  static inDatabase(db: Db, collectionName = 'relay_checkpoints'): MongoRelayCheckpointStore {
    return new MongoRelayCheckpointStore(db.collection<RelayCheckpointDocument>(collectionName));
  }

  async load(relay: string): Promise<bigint | undefined> {
    const doc = await this.collection.findOne({ _id: relay }, { useBigInt64: true });
    return doc ? BigInt(doc.position) : undefined;
  }

  async save(relay: string, position: bigint): Promise<void> {
    try {
      // Matches nothing when the stored position is as new or newer; the upsert then collides
      // on _id, which here means "already further" (see mongo-kit upsertIfNewer).
      await this.collection.updateOne(
        { _id: relay, position: { $lt: position } },
        { $set: { position, updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (error) {
      const typed = translateMongoError(error);
      if (typed instanceof DuplicateKeyError) return;
      throw typed;
    }
  }
}
