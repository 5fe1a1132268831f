import type { Collection, Db } from 'mongodb';
import { applyIfNewer } from '@leadership/projection';
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
    // The position only grows: an older save (a stale retry) is "stale" and changes nothing.
    await applyIfNewer(this.collection, relay, position, { updatedAt: new Date() }, { field: 'position' });
  }
}
