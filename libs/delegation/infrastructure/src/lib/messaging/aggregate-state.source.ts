import type { EventStore, RecordedEvent, SubscribeToAllOptions, Subscription } from '@leadership/event-store';

/** Folds one stream's events into state; `undefined` for a stream the source does not track. */
export interface StateFolder<S> {
  readonly categories: readonly string[];
  initial(streamName: string): S;
  evolve(state: S, event: RecordedEvent): S;
}

/*
 * Integration events carry the aggregate's state after the change (state transfer), but the
 * relay's mappers are synchronous and see one event at a time. This source sits between the
 * event store and the relay: before handing an event on it makes sure the state after that
 * event is known — from a bounded cache when the previous revision is cached, otherwise by
 * reading the stream up to the event (after a restart, or an evicted entry) — and exposes it
 * through `stateAfter(event)` for the mapper.
 */
export class AggregateStateSource<S> implements Pick<EventStore, 'subscribeToAll' | 'headPosition'> {
  private readonly cache = new Map<string, { revision: number; state: S }>();
  private readonly states = new WeakMap<RecordedEvent, S>();

  constructor(
    private readonly store: EventStore,
    private readonly folder: StateFolder<S>,
    private readonly maxCached = 10_000,
  ) {}

  headPosition(): Promise<bigint | undefined> {
    return this.store.headPosition();
  }

  /** The aggregate state right after `event` (only for events this source handed over). */
  stateAfter(event: RecordedEvent): S | undefined {
    return this.states.get(event);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    const tracked = new Set(this.folder.categories);
    return this.store.subscribeToAll({
      ...options,
      onEvent: async (event) => {
        const category = event.streamName.slice(0, event.streamName.indexOf('-'));
        if (tracked.has(category)) this.states.set(event, await this.fold(event));
        await options.onEvent(event);
      },
    });
  }

  private async fold(event: RecordedEvent): Promise<S> {
    const cached = this.cache.get(event.streamName);
    let state: S;
    if (cached && cached.revision === event.revision - 1) {
      state = this.folder.evolve(cached.state, event);
    } else {
      const history = await this.store.readStream(event.streamName, { maxCount: event.revision + 1 });
      state = history.reduce((s, e) => this.folder.evolve(s, e), this.folder.initial(event.streamName));
    }
    this.cache.delete(event.streamName);
    this.cache.set(event.streamName, { revision: event.revision, state });
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return state;
  }
}
