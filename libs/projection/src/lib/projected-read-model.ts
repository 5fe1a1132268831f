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
  /** Deletes every document (before a rebuild) and forgets any cached state. */
  reset(): Promise<void>;
}
