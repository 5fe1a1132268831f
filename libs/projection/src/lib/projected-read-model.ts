import type { RecordedEvent } from '@leadership/event-store';

/** What applying one event did to the read model. */
export type ApplyResult = 'applied' | 'skipped';

/**
 * A read model kept by a {@link Projector}: a pure function of the events of its categories,
 * stored so that applying an event twice changes nothing (each document keeps the revision it
 * applied and writes through `applyIfNewer`).
 */
export interface ProjectedReadModel {
  /** Checkpoint name; one projector per name and database. */
  readonly name: string;
  /**
   * Version of the stored shape. When it differs from the one recorded with the checkpoint, the
   * projector resets the read model and replays the store from the start (a rebuild on upgrade).
   */
  readonly version: number;
  /** Stream categories whose events it applies; events of other streams are passed over. */
  readonly categories: readonly string[];
  /** Creates indexes and whatever else must exist before the first apply. */
  init(): Promise<void>;
  /** Applies one event; throws when it cannot be stored (the projector retries or parks it). */
  apply(event: RecordedEvent): Promise<ApplyResult>;
  /**
   * Optional: applies a page of events at once — what each event does to each document merged
   * into one write per document, the writes of the page together (`applyAllIfNewer`) — with the
   * same outcome as `apply` on each event in turn, and as idempotent. The events are in position
   * order, of several streams, each stream's in revision order; all are of the read model's
   * categories and none of a parked stream. Resolves with one result per event. Throws when the
   * page cannot be stored: the projector retries it, and a page that keeps failing the same way
   * while the database answers is applied one event at a time, so a poison event is parked alone.
   */
  applyBatch?(events: readonly RecordedEvent[]): Promise<readonly ApplyResult[]>;
  /** Deletes every document (before a rebuild) and forgets any cached state. */
  reset(): Promise<void>;
}
