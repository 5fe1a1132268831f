import type { Collection, Db } from 'mongodb';
import { DuplicateKeyError, translateMongoError } from '@leadership/projection';
import type { ProcessedEventDetails, ProcessedEventStore } from './processed-event.store';

/** One handled event of one consumer group. */
export interface ProcessedEventDocument extends ProcessedEventDetails {
  /** `<group>|<eventId>`: the unique index that makes a second record impossible. */
  readonly _id: string;
  readonly group: string;
  readonly eventId: string;
  readonly processedAt: Date;
}

/**
 * Processed events in MongoDB (or FerretDB): one document per group and event id, unique by
 * `_id`, written with a plain insert, so two consumers racing on the same event cannot both
 * record it (the loser gets a duplicate key, translated by @leadership/projection).
 */
export class MongoProcessedEventStore implements ProcessedEventStore {
  private indexed: Promise<void> | undefined;

  constructor(private readonly collection: Collection<ProcessedEventDocument>) {}

  static inDatabase(db: Db, collectionName = 'processed_events'): MongoProcessedEventStore {
    return new MongoProcessedEventStore(db.collection<ProcessedEventDocument>(collectionName));
  }

  /**
   * The index `forgetBefore` reads by. Not a TTL index: FerretDB 1.24 refuses `expireAfterSeconds`
   * ("not implemented yet", checked here), and one mechanism that runs unchanged on MongoDB and
   * FerretDB beats two; the consumer sweeps instead (DedupeStrategy `retentionMs`).
   */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ group: 1, processedAt: 1 }, { name: 'group_processedAt' });
  }

  static idOf(group: string, eventId: string): string {
    return `${group}|${eventId}`;
  }

  async isProcessed(group: string, eventId: string): Promise<boolean> {
    const found = await this.collection.findOne({ _id: MongoProcessedEventStore.idOf(group, eventId) }, { projection: { _id: 1 } });
    return found !== null;
  }

  async forgetBefore(group: string, cutoff: Date): Promise<number> {
    this.indexed ??= this.ensureIndexes().catch((error: unknown) => {
      this.indexed = undefined;
      throw error;
    });
    await this.indexed;
    const { deletedCount } = await this.collection.deleteMany({ group, processedAt: { $lt: cutoff } });
    return deletedCount;
  }

  async markProcessed(group: string, eventId: string, details: ProcessedEventDetails): Promise<'recorded' | 'duplicate'> {
    try {
      await this.collection.insertOne({
        _id: MongoProcessedEventStore.idOf(group, eventId),
        group,
        eventId,
        type: details.type,
        topic: details.topic,
        partition: details.partition,
        offset: details.offset,
        processedAt: new Date(),
      });
      return 'recorded';
    } catch (error) {
      const typed = translateMongoError(error);
      if (typed instanceof DuplicateKeyError) return 'duplicate';
      throw typed;
    }
  }
}
