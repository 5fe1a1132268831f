import { evolveRecorded, StoreFollower, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { categoryOf, idOf } from '@leadership/kernel';
import {
  DIGEST_STREAM_CATEGORY,
  digestDecider,
  NOTIFICATION_STREAM_CATEGORY,
  notificationDecider,
  PREFERENCES_STREAM_CATEGORY,
  preferencesDecider,
  WEBHOOK_STREAM_CATEGORY,
  webhookDecider,
  type DigestState,
  type ExistingDigest,
  type ExistingNotification,
  type ExistingWebhook,
  type NotificationState,
  type Preferences,
  type PreferencesState,
  type WebhookState,
} from '@leadership/notifications-domain';

const CATEGORIES = [NOTIFICATION_STREAM_CATEGORY, DIGEST_STREAM_CATEGORY, WEBHOOK_STREAM_CATEGORY, PREFERENCES_STREAM_CATEGORY] as const;

/** Deliveries with work left: resolution, a send, a digest to join. */
const PENDING = new Set(['scheduled', 'retrying', 'digest']);

/**
 * The dispatcher's view of the context, in memory, fed from the service's own event store
 * (`catchUp()` reads everything committed after the last event it applied, as case distribution's
 * routing board does): notifications with work left, digests not yet sent, every webhook
 * subscription and everyone's preferences. Finished notifications and sent digests are dropped, so
 * memory follows the open work; an event for a dropped notification (a replay, an inbox change) is
 * folded from its stream again.
 *
 * Rebuilt on start, so a restart mid-window loses nothing: digests, their items and every send
 * attempt are events.
 */
export class NotificationBoard {
  private readonly follower: StoreFollower;
  private readonly notifications = new Map<string, ExistingNotification>();
  private readonly digests = new Map<string, ExistingDigest>();
  private readonly webhooks = new Map<string, ExistingWebhook>();
  private readonly preferences = new Map<string, Preferences>();
  /** Deliveries some digest carries or collects (so a delivery joins one digest once). */
  private readonly inDigest = new Set<string>();
  constructor(private readonly store: ReadOnlyEventStore) {
    this.follower = new StoreFollower(store, CATEGORIES, (event) => this.apply(event));
  }

  get position(): bigint | undefined {
    return this.follower.position;
  }

  /** Applies everything committed before the call (see StoreFollower: read-your-writes under concurrency). */
  catchUp(): Promise<void> {
    return this.follower.catchUp();
  }

  private async apply(event: RecordedEvent): Promise<void> {
    const id = idOf(event.streamName);
    switch (categoryOf(event.streamName)) {
      case NOTIFICATION_STREAM_CATEGORY:
        await this.applyNotification(id, event);
        break;
      case DIGEST_STREAM_CATEGORY:
        this.applyDigest(id, event);
        break;
      case WEBHOOK_STREAM_CATEGORY: {
        const after: WebhookState = evolveRecorded(webhookDecider, this.webhooks.get(id) ?? webhookDecider.initialState(), event);
        if (after.status !== 'none') this.webhooks.set(id, after);
        break;
      }
      case PREFERENCES_STREAM_CATEGORY: {
        const after: PreferencesState = evolveRecorded(preferencesDecider, preferencesDecider.initialState(), event);
        if (after.status === 'set') this.preferences.set(id, after.preferences);
        break;
      }
      default:
        break;
    }
  }

  private async applyNotification(notificationId: string, event: RecordedEvent): Promise<void> {
    let before: NotificationState | undefined = this.notifications.get(notificationId);
    if (!before && event.type !== 'NotificationRequested') {
      // Dropped as finished (or never seen by this board): fold its stream up to this event.
      const events = await this.store.readStream(event.streamName);
      before = events.filter((e) => e.revision < event.revision).reduce<NotificationState>((s, e) => evolveRecorded(notificationDecider, s, e), notificationDecider.initialState());
    }
    const after = evolveRecorded(notificationDecider, before ?? notificationDecider.initialState(), event);
    if (after.status === 'none') return;
    const open = after.status === 'requested' || after.deliveries.some((d) => d.channel !== 'in-app' && PENDING.has(d.status));
    if (open) this.notifications.set(notificationId, after);
    else this.notifications.delete(notificationId);
  }

  private applyDigest(digestId: string, event: RecordedEvent): void {
    const after: DigestState = evolveRecorded(digestDecider, this.digests.get(digestId) ?? digestDecider.initialState(), event);
    if (after.status === 'none') return;
    for (const item of after.items) this.inDigest.add(item.deliveryId);
    this.digests.set(digestId, after);
  }

  /** Notifications still to resolve or with deliveries to send. */
  openNotifications(): IterableIterator<ExistingNotification> {
    return this.notifications.values();
  }

  notification(notificationId: string): ExistingNotification | undefined {
    return this.notifications.get(notificationId);
  }

  digestList(): IterableIterator<ExistingDigest> {
    return this.digests.values();
  }

  /** A sent digest whose items are all recorded delivered is done: forget it. */
  forgetDigest(digestId: string): void {
    const digest = this.digests.get(digestId);
    if (!digest) return;
    this.digests.delete(digestId);
    for (const item of digest.items) this.inDigest.delete(item.deliveryId);
  }

  joinedDigest(deliveryId: string): boolean {
    return this.inDigest.has(deliveryId);
  }

  webhook(webhookId: string): ExistingWebhook | undefined {
    return this.webhooks.get(webhookId);
  }

  allWebhooks(): IterableIterator<ExistingWebhook> {
    return this.webhooks.values();
  }

  preferencesOf(personId: string): Preferences | undefined {
    return this.preferences.get(personId);
  }
}
