/** Where a projection stands: the last global position applied and the read-model version. */
export interface ProjectionCheckpoint {
  readonly position: bigint;
  readonly version: number;
}

/** An event a projection could not apply (see the Projector's poison rule), kept for an operator. */
export interface ParkedEvent {
  readonly projection: string;
  readonly position: bigint;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly eventId: string | undefined;
  /** Why: the last error, or that an earlier event of the same stream is parked. */
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: Date;
}

/**
 * The projector's own records beside the read model: checkpoints per projection name, parked
 * events, and a health probe of the database they live in (which tells an outage from a poison
 * event).
 */
export interface ProjectionBookkeeping {
  /** Creates its indexes (before the first event). */
  init(): Promise<void>;
  loadCheckpoint(projection: string): Promise<ProjectionCheckpoint | undefined>;
  /** Saves the checkpoint; a position below the stored one is ignored (it only grows). */
  saveCheckpoint(projection: string, checkpoint: ProjectionCheckpoint): Promise<void>;
  clearCheckpoint(projection: string): Promise<void>;
  /** Records a parked event (idempotent by projection and position). */
  park(event: ParkedEvent): Promise<void>;
  /** Streams with a parked event: their later events are parked too, never applied out of order. */
  parkedStreams(projection: string): Promise<Set<string>>;
  parkedCount(projection: string): Promise<number>;
  clearParked(projection: string): Promise<void>;
  /** Resolves when the database answers; throws when it does not. */
  ping(): Promise<void>;
}
