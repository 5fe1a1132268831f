import { categoryOf, type DomainEvent } from '@leadership/kernel';
import { evolveRecorded, foldRecorded, type AggregateReader, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';

/** An aggregate reader whose state is tagged with a kind, so several aggregates share one state union. */
export function trackAs<K extends string, E extends DomainEvent, S>(
  kind: K,
  reader: AggregateReader<E, S>,
): AggregateReader<DomainEvent, { readonly kind: K; readonly state: S }> {
  return {
    initialState: () => ({ kind, state: reader.initialState() }),
    evolve: (current, event) => ({
      kind,
      state: reader.evolve(current.state, event as E),
    }),
    // The reader's own upcaster (if any) turns stored shapes into its events; the cast above is safe
    // because the tracker only hands a reader events of its own stream category.
    ...(reader.upcast
      ? {
          upcast: (recorded: RecordedEvent) => reader.upcast?.(recorded) as DomainEvent,
        }
      : {}),
  };
}

/*
 * Integration events carry the aggregate's state after the change (state transfer), but the relay
 * sees one stored event at a time. The tracker gives the state right after each event: from a
 * bounded cache when the previous revision is cached (the usual case while the relay follows the
 * store), otherwise by reading the stream up to the event (after a restart, or an evicted entry).
 * Folding goes through the aggregates' readers (the one place for upcasters).
 */
export class AggregateStateTracker<S> {
  private readonly cache = new Map<string, { revision: number; state: S }>();

  constructor(
    private readonly store: Pick<ReadOnlyEventStore, 'readStream'>,
    /** One reader per stream category whose state the mappers need. */
    private readonly readers: Readonly<Record<string, AggregateReader<DomainEvent, S>>>,
    private readonly maxCached = 10_000,
  ) {}

  /** Stream categories the tracker folds (the relay may narrow its subscription to them). */
  get categories(): readonly string[] {
    return Object.keys(this.readers);
  }

  /** The aggregate state right after `event`; undefined for streams of other categories. */
  async stateAfter(event: RecordedEvent): Promise<S | undefined> {
    const category = categoryOf(event.streamName);
    const reader = Object.prototype.hasOwnProperty.call(this.readers, category) ? this.readers[category] : undefined;
    if (!reader) return undefined;
    const cached = this.cache.get(event.streamName);
    let state: S;
    if (cached && cached.revision === event.revision - 1) {
      state = evolveRecorded(reader, cached.state, event);
    } else if (cached && cached.revision === event.revision) {
      // Redelivered after a retry: the state after it is already known.
      state = cached.state;
    } else {
      state = foldRecorded(
        reader,
        await this.store.readStream(event.streamName, {
          maxCount: event.revision + 1,
        }),
      );
    }
    // Re-inserting keeps the map in least-recently-used order for the eviction below.
    this.cache.delete(event.streamName);
    this.cache.set(event.streamName, { revision: event.revision, state });
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return state;
  }
}
