import type { ParkedEvent, ProjectionBookkeeping, ProjectionCheckpoint } from './projection-bookkeeping';

/** Bookkeeping in process memory: for read models that live in memory and for unit tests. */
export class InMemoryProjectionBookkeeping implements ProjectionBookkeeping {
  readonly checkpoints = new Map<string, ProjectionCheckpoint>();
  readonly parked = new Map<string, ParkedEvent>();

  async init(): Promise<void> {
    return undefined;
  }

  async loadCheckpoint(projection: string): Promise<ProjectionCheckpoint | undefined> {
    return this.checkpoints.get(projection);
  }

  async saveCheckpoint(projection: string, checkpoint: ProjectionCheckpoint): Promise<void> {
    const stored = this.checkpoints.get(projection);
    if (!stored || stored.position < checkpoint.position) this.checkpoints.set(projection, checkpoint);
  }

  async clearCheckpoint(projection: string): Promise<void> {
    this.checkpoints.delete(projection);
  }

  async park(event: ParkedEvent): Promise<void> {
    this.parked.set(`${event.projection}:${event.position}`, event);
  }

  async parkedStreams(projection: string): Promise<Set<string>> {
    return new Set([...this.parked.values()].filter((p) => p.projection === projection).map((p) => p.streamName));
  }

  async parkedCount(projection: string): Promise<number> {
    return [...this.parked.values()].filter((p) => p.projection === projection).length;
  }

  async clearParked(projection: string): Promise<void> {
    for (const [key, event] of this.parked) if (event.projection === projection) this.parked.delete(key);
  }

  async ping(): Promise<void> {
    return undefined;
  }
}
