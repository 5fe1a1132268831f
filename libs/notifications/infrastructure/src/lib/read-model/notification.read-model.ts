import { Schema, type Connection, type Model } from 'mongoose';
import { toDomainEvent, type RecordedEvent } from '@leadership/event-store';
import { assertNever, idOf } from '@leadership/kernel';
import { applyIfNewer, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';
import { NOTIFICATION_STREAM_CATEGORY, notificationDecider } from '@leadership/notifications-domain';

/** Where a notification stands: requested, or its recipients resolved and deliveries planned. */
export type NotificationStatus = 'requested' | 'resolved';

/**
 * `notifications`: one notification, with the stream revision it shows. (The inbox, delivery log and
 * webhook log read models are the application layer's work; this one keeps the generated shape.)
 */
export type NotificationDocument = {
  _id: string;
  /** Stream revision of the last applied event (the notification's version, its ETag). */
  revision: number;
  category: string;
  workflow: string;
  status: NotificationStatus;
  requestedAt: string;
  requestedBy: string;
  resolvedAt: string | null;
};

/** A notification as the read model answers it. */
export type NotificationView = Omit<NotificationDocument, '_id' | 'revision'> & { readonly notificationId: string; readonly version: number };

const notificationSchema = new Schema<NotificationDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    category: { type: String, required: true },
    workflow: { type: String, required: true },
    status: { type: String, enum: ['requested', 'resolved'], required: true },
    requestedAt: { type: String, required: true },
    requestedBy: { type: String, required: true },
    resolvedAt: { type: String, default: null },
  },
  { versionKey: false, collection: 'notifications' },
);
// Lists filter by status, newest first; a simple index FerretDB serves too.
notificationSchema.index({ status: 1, requestedAt: -1 });

/** Longest page of a list (bounded answers; FerretDB scans whole collections on other queries). */
export const MAX_NOTIFICATION_PAGE = 100;

const view = (doc: NotificationDocument): NotificationView => {
  const { _id, revision, ...rest } = doc;
  return { notificationId: _id, version: revision, ...rest };
};

/**
 * The notification read model, kept by a Projector from the event store. Each event writes one
 * document through `applyIfNewer` (guarded by the stream revision), so redelivery and replays
 * are harmless and no transaction is needed. Every event carries what its write needs: no read
 * before the write.
 */
export class NotificationReadModel implements ProjectedReadModel {
  readonly name = 'notifications-notifications';
  /** Bump when the stored shape changes: the projector then rebuilds the read model from the store. */
  readonly version = 2;
  readonly categories = [NOTIFICATION_STREAM_CATEGORY];
  readonly notifications: Model<NotificationDocument>;

  constructor(connection: Connection) {
    this.notifications = modelOn(connection, 'NotificationsNotification', notificationSchema);
  }

  async init(): Promise<void> {
    await this.notifications.createIndexes();
  }

  async reset(): Promise<void> {
    await this.notifications.deleteMany({}).exec();
  }

  async apply(recorded: RecordedEvent): Promise<ApplyResult> {
    const id = idOf(recorded.streamName);
    // Through the decider as the one reader: an upcaster added there applies here too.
    const event = toDomainEvent(notificationDecider, recorded);
    let set: Partial<NotificationDocument>;
    switch (event.type) {
      case 'NotificationRequested': {
        const { category, workflow, at, actorId } = event.data;
        set = { category, workflow, status: 'requested', requestedAt: at, requestedBy: actorId, resolvedAt: null };
        break;
      }
      case 'RecipientsResolved':
        set = { status: 'resolved', resolvedAt: event.data.at };
        break;
      case 'DeliveryRedirected':
      case 'DeliverySucceeded':
      case 'DeliveryAttemptFailed':
      case 'DeliveryDeadLettered':
      case 'DeliveryReplayed':
      case 'InboxItemRead':
      case 'InboxItemMarkedUnread':
      case 'InboxItemArchived':
        // Deliveries and inbox items are other read models' concern; the revision still moves on.
        set = {};
        break;
      default:
        return assertNever(event);
    }
    return (await applyIfNewer(this.notifications, id, recorded.revision, set)) === 'applied' ? 'applied' : 'skipped';
  }

  /** One notification, or undefined when the read model has not seen it (yet). */
  async find(notificationId: string): Promise<NotificationView | undefined> {
    const doc = await this.notifications.findById(notificationId).lean<NotificationDocument>().exec();
    return doc ? view(doc) : undefined;
  }

  /** The newest notifications first, optionally of one status; at most MAX_NOTIFICATION_PAGE. */
  async list(query: { readonly status?: NotificationStatus; readonly limit: number }): Promise<NotificationView[]> {
    const docs = await this.notifications
      .find(query.status ? { status: query.status } : {})
      .sort({ requestedAt: -1 })
      .limit(Math.min(query.limit, MAX_NOTIFICATION_PAGE))
      .lean<NotificationDocument[]>()
      .exec();
    return docs.map(view);
  }
}
