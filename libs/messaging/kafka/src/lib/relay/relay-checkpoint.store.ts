/**
 * Where a relay keeps its checkpoint: the global position of the last event whose integration
 * events the broker acknowledged. The relay resumes strictly after it, so an event is published
 * again only if it was in flight at a crash (at least once), and never skipped.
 */
export interface RelayCheckpointStore {
  /** The stored position, or undefined when the relay never published (start from the beginning). */
  load(relay: string): Promise<bigint | undefined>;
  /** Stores the position. Never moves a checkpoint backwards (a late write of an older value is ignored). */
  save(relay: string, position: bigint): Promise<void>;
}

/** Keeps checkpoints in memory: for tests and throw-away tools only (a restart republishes everything). */
export class InMemoryRelayCheckpointStore implements RelayCheckpointStore {
  private readonly positions = new Map<string, bigint>();

  async load(relay: string): Promise<bigint | undefined> {
    return this.positions.get(relay);
  }

  async save(relay: string, position: bigint): Promise<void> {
    const current = this.positions.get(relay);
    if (current === undefined || position > current) this.positions.set(relay, position);
  }
}
