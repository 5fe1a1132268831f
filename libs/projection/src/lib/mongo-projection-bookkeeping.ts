import { Schema, type Connection, type Model } from 'mongoose';
import { applyIfNewer } from './apply-if-newer';
import { modelOn } from './model-on';
import type { ParkedEvent, ProjectionBookkeeping, ProjectionCheckpoint } from './projection-bookkeeping';

/** `projection_checkpoints`: one document per projection name. */
export interface CheckpointDocument {
  /** Projection name. */
  _id: string;
  /** Global position of the last event applied; a 64-bit integer. */
  position: bigint;
  /** Read-model version the documents were built with. */
  version: number;
  updatedAt: Date;
}

/** `projection_parked`: one document per parked event. */
export interface ParkedEventDocument extends Omit<ParkedEvent, 'eventId'> {
  /** `<projection>:<position>`. */
  _id: string;
  eventId: string | null;
}

/*
 * Without command buffering (as the read models' schemas): an operation issued while the
 * connection is down goes to the driver and fails after its server selection timeout, so the
 * projector sees the outage and retries, instead of waiting in mongoose's buffer.
 */
const checkpointSchema = new Schema<CheckpointDocument>(
  {
    _id: { type: String, required: true },
    position: { type: Schema.Types.BigInt, required: true },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false, bufferCommands: false, collection: 'projection_checkpoints' },
);

const parkedSchema = new Schema<ParkedEventDocument>(
  {
    _id: { type: String, required: true },
    projection: { type: String, required: true },
    position: { type: Schema.Types.BigInt, required: true },
    streamName: { type: String, required: true },
    revision: { type: Number, required: true },
    type: { type: String, required: true },
    eventId: { type: String, default: null },
    error: { type: String, required: true },
    attempts: { type: Number, required: true },
    parkedAt: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, autoCreate: false, bufferCommands: false, collection: 'projection_parked' },
);
// Start-up reads the streams with a parked event; operators list them per projection.
parkedSchema.index({ projection: 1, streamName: 1 });

/** Checkpoints and parked events in the read model's own database (mongoose models). */
export class MongoProjectionBookkeeping implements ProjectionBookkeeping {
  readonly checkpoints: Model<CheckpointDocument>;
  readonly parked: Model<ParkedEventDocument>;

  constructor(private readonly connection: Connection) {
    this.checkpoints = modelOn(connection, 'ProjectionCheckpoint', checkpointSchema);
    this.parked = modelOn(connection, 'ProjectionParkedEvent', parkedSchema);
  }

  async init(): Promise<void> {
    await this.parked.createIndexes();
  }

  async loadCheckpoint(projection: string): Promise<ProjectionCheckpoint | undefined> {
    // Raw read: checkpoints written before positions were 64-bit integers held strings.
    const doc = await this.checkpoints.collection.findOne({ _id: projection } as never);
    if (!doc) return undefined;
    const raw = doc as { position?: unknown; version?: unknown };
    return { position: BigInt(String(raw.position)), version: typeof raw.version === 'number' ? raw.version : 0 };
  }

  async saveCheckpoint(projection: string, checkpoint: ProjectionCheckpoint): Promise<void> {
    await applyIfNewer(this.checkpoints, projection, checkpoint.position, { version: checkpoint.version, updatedAt: new Date() }, { field: 'position' });
  }

  async clearCheckpoint(projection: string): Promise<void> {
    await this.checkpoints.deleteOne({ _id: projection }).exec();
  }

  async park(event: ParkedEvent): Promise<void> {
    const _id = `${event.projection}:${event.position}`;
    // Upsert by id: parking the same event again (a restart in between) keeps one record.
    await this.parked.updateOne({ _id }, { $set: { ...event, eventId: event.eventId ?? null } }, { upsert: true }).exec();
  }

  async parkedStreams(projection: string): Promise<Set<string>> {
    const names: string[] = await this.parked.distinct('streamName', { projection }).exec();
    return new Set(names);
  }

  parkedCount(projection: string): Promise<number> {
    return this.parked.countDocuments({ projection }).exec();
  }

  async clearParked(projection: string): Promise<void> {
    await this.parked.deleteMany({ projection }).exec();
  }

  async ping(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    await db.command({ ping: 1 });
  }
}
