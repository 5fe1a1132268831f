import type { EventStore, ReadOnlyEventStore, RecordedEvent, Subscription } from '@leadership/event-store';

const DEFAULT_CHECKPOINT = 'delegation-read-model';
import { DelegationReadModel } from './delegation-read-model';

export interface ProjectorOptions {
  /** Checkpoint name (one per read model). */
  readonly name?: string;
  /** Save the checkpoint after this many events, or when caught up. */
  readonly checkpointEvery?: number;
  readonly onError?: (error: Error) => void;
}

/**
 * Keeps the read model up to date from a catch-up subscription to the event store, resuming
 * after its checkpoint. The checkpoint is saved after the events before it were applied, so a
 * crash re-applies at most a few events, which the revision guard skips.
 */
export class Projector {
  private subscription: Subscription | undefined;
  private applied: bigint | undefined;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private sinceCheckpoint = 0;
  private readonly name: string;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: DelegationReadModel,
    private readonly options: ProjectorOptions = {},
  ) {
    this.name = options.name ?? DEFAULT_CHECKPOINT;
  }

  /** Global position of the last event applied (or skipped as not ours). */
  get position(): bigint | undefined {
    return this.applied;
  }

  async start(): Promise<void> {
    await this.readModel.ensureIndexes();
    const after = await this.readModel.checkpoint(this.name);
    this.applied = after;
    this.subscription = this.store.subscribeToAll({
      ...(after !== undefined ? { after } : {}),
      onEvent: (event) => this.handle(event),
      onCaughtUp: () => void this.flushCheckpoint(),
      onError: (error) => this.options.onError?.(error),
    });
  }

  private async handle(event: RecordedEvent): Promise<void> {
    await this.readModel.apply(event);
    this.applied = event.position;
    this.sinceCheckpoint++;
    if (this.sinceCheckpoint >= (this.options.checkpointEvery ?? 100)) await this.flushCheckpoint();
    this.waiters = this.waiters.filter((w) => {
      if (w.position <= event.position) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private async flushCheckpoint(): Promise<void> {
    if (this.applied === undefined || this.sinceCheckpoint === 0) return;
    this.sinceCheckpoint = 0;
    await this.readModel.saveCheckpoint(this.name, this.applied, new Date().toISOString());
  }

  /**
   * Resolves once every event up to the store's current head is applied (read-your-writes for
   * queries right after a command); gives up silently after `timeoutMs` so a query never hangs.
   */
  async catchUp(timeoutMs = 3000): Promise<boolean> {
    const head = await this.store.headPosition();
    if (head === undefined || (this.applied !== undefined && this.applied >= head)) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        position: head,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.flushCheckpoint();
  }
}

/**
 * Rebuilds a read model from the whole event store (the same documents as the live
 * projection), then records the checkpoint so a service started on it resumes from there.
 */
export async function rebuildReadModel(
  store: ReadOnlyEventStore,
  readModel: DelegationReadModel,
  onProgress?: (progress: { events: number; position: bigint; head: bigint | undefined }) => void,
  checkpointName = DEFAULT_CHECKPOINT,
): Promise<number> {
  await Promise.all([readModel.mandates.deleteMany({}), readModel.units.deleteMany({}), readModel.people.deleteMany({}), readModel.checkpoints.deleteMany({})]);
  await readModel.ensureIndexes();
  const head = await store.headPosition();
  let after: bigint | undefined;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ ...(after !== undefined ? { after } : {}), maxCount: 1000, filter: { streamCategories: [...DelegationReadModel.categories] } });
    for (const event of page) {
      await readModel.apply(event);
      count++;
    }
    after = page[page.length - 1]?.position ?? after;
    if (after !== undefined) onProgress?.({ events: count, position: after, head });
    if (page.length < 1000) break;
  }
  // Everything up to the head at the start is applied (other categories are not the read model's).
  if (head !== undefined) await readModel.saveCheckpoint(checkpointName, head, new Date().toISOString());
  return count;
}
