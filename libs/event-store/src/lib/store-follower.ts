import type { ReadOnlyEventStore, RecordedEvent } from './event-store.port';

/** Events read per round trip while catching up (bounded memory on a long backlog). */
const DEFAULT_PAGE = 2_000;

/**
 * Keeps in-memory state level with the event store it lives beside: `catchUp()` reads the events
 * of some stream categories committed after the last one it applied, in order, and hands each to
 * `apply` once. The services' boards (routing, onboarding, notifications) and the delegation
 * service's authority now are such states: a decision or an answer first catches up, so it rests
 * on every command committed before it was asked for.
 *
 * Read-your-writes under concurrency: callers that arrive while a read runs do not join it — it
 * may have started before their own commit — but share one follow-up read that starts after it.
 * So each caller's catch-up covers what was committed before it called, and a burst of callers
 * costs two reads, not one each. A failed read rejects its callers; the next call reads again from
 * the last event applied.
 */
export class StoreFollower {
  private applied: bigint | undefined;
  private reading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<ReadOnlyEventStore, 'readAll'>,
    private readonly streamCategories: readonly string[],
    private readonly apply: (event: RecordedEvent) => void | Promise<void>,
    private readonly pageSize = DEFAULT_PAGE,
  ) {}

  /** Position of the last event applied (undefined before the first). */
  get position(): bigint | undefined {
    return this.applied;
  }

  /** Applies everything committed before the call. */
  catchUp(): Promise<void> {
    if (!this.reading) {
      this.reading = this.readNew().finally(() => (this.reading = undefined));
      return this.reading;
    }
    this.queued ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ ...(this.applied !== undefined ? { after: this.applied } : {}), maxCount: this.pageSize, filter: { streamCategories: this.streamCategories } });
      for (const event of page) {
        if (this.applied !== undefined && event.position <= this.applied) continue;
        const applying = this.apply(event);
        // Boards fold synchronously: no await (a microtask per event) unless the apply is async.
        if (applying) await applying;
        this.applied = event.position;
      }
      if (page.length < this.pageSize) return;
    }
  }
}
