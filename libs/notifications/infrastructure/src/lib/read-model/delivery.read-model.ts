import { Subject, filter, map, type Observable } from 'rxjs';
import { Schema, type Connection, type Model } from 'mongoose';
import { foldRecorded, toDomainEvent, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { assertNever } from '@leadership/kernel';
import type { MessageRenderer } from '@leadership/notifications-application';
import { NOTIFICATION_STREAM_CATEGORY, notificationDecider, type DeliveryPlan, type DeliveryStatus, type ExistingNotification } from '@leadership/notifications-domain';
import { applyIfNewer, modelOn, type ApplyResult, type ProjectedReadModel } from '@leadership/projection';

/**
 * `deliveries`: one document per delivery (in-app item, e-mail, webhook request) with the
 * resolution behind it (address, basis, mandate and version) and its log (status, attempts, last
 * response); in-app deliveries carry the inbox item (title and body rendered in the recipient's
 * locale, read, archived). Guarded by the notification's stream revision.
 */
export interface DeliveryDocument {
  _id: string;
  revision: number;
  notificationId: string;
  recipientId: string;
  channel: 'in-app' | 'email' | 'webhook';
  address: string;
  basis: string;
  mandateId: string | null;
  mandateVersion: number | null;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  lastResponseCode: number | null;
  lastError: string | null;
  notBefore: string;
  createdAt: string;
  deliveredAt: string | null;
  category: string;
  workflow: string;
  source: { type: string; id: string };
  title: string | null;
  body: string | null;
  read: boolean;
  archived: boolean;
}

/** `type` is a field here, not mongoose's type key: declared as a field of a subdocument schema. */
const sourceSchema = new Schema<DeliveryDocument['source']>({ type: { type: String, required: true }, id: { type: String, required: true } }, { _id: false });

const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    notificationId: { type: String, required: true },
    recipientId: { type: String, required: true },
    channel: { type: String, required: true },
    address: { type: String, required: true },
    basis: { type: String, required: true },
    mandateId: { type: String, default: null },
    mandateVersion: { type: Number, default: null },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    lastAttemptAt: { type: String, default: null },
    lastResponseCode: { type: Number, default: null },
    lastError: { type: String, default: null },
    notBefore: { type: String, required: true },
    createdAt: { type: String, required: true },
    deliveredAt: { type: String, default: null },
    category: { type: String, required: true },
    workflow: { type: String, required: true },
    source: { type: sourceSchema, required: true },
    title: { type: String, default: null },
    body: { type: String, default: null },
    read: { type: Boolean, default: false },
    archived: { type: Boolean, default: false },
  },
  { versionKey: false, collection: 'deliveries' },
);
// The inbox and the compliance log query by recipient, newest first: simple indexes FerretDB serves too.
deliverySchema.index({ recipientId: 1, createdAt: -1 });
deliverySchema.index({ notificationId: 1 });

/** An inbox item as `GET /inbox` answers it. */
export interface InboxItem {
  readonly id: string;
  readonly notificationId: string;
  readonly category: string;
  readonly title: string;
  readonly body: string;
  readonly read: boolean;
  readonly createdAt: string;
  readonly source: { readonly type: string; readonly id: string };
}

export const inboxItemOf = (doc: DeliveryDocument): InboxItem => ({
  id: doc._id,
  notificationId: doc.notificationId,
  category: doc.category,
  title: doc.title ?? '',
  body: doc.body ?? '',
  read: doc.read,
  createdAt: doc.createdAt,
  source: { type: doc.source.type, id: doc.source.id },
});

/** Longest page of a list. */
export const MAX_DELIVERY_PAGE = 200;

/**
 * The delivery log and the inbox, kept by a Projector from the notification streams. New in-app
 * items are rendered here (names and unit names looked up now: events carry ids) and announced to
 * the live subscribers of `GET /inbox/stream` once stored; the projector's checkpoint means a
 * restart neither loses an item nor writes one twice.
 */
export class DeliveryReadModel implements ProjectedReadModel {
  readonly name = 'notifications-deliveries';
  readonly version = 1;
  readonly categories = [NOTIFICATION_STREAM_CATEGORY];
  readonly deliveries: Model<DeliveryDocument>;
  private readonly items = new Subject<{ readonly recipientId: string; readonly item: InboxItem }>();

  constructor(
    connection: Connection,
    private readonly store: Pick<ReadOnlyEventStore, 'readStream'>,
    private readonly renderer: MessageRenderer,
  ) {
    this.deliveries = modelOn(connection, 'NotificationsDelivery', deliverySchema);
  }

  async init(): Promise<void> {
    await this.deliveries.createIndexes();
  }

  async reset(): Promise<void> {
    await this.deliveries.deleteMany({}).exec();
  }

  /** New inbox items of one person, as they are stored (for SSE). */
  inboxItemsOf(recipientId: string): Observable<InboxItem> {
    return this.items.pipe(
      filter((entry) => entry.recipientId === recipientId),
      map((entry) => entry.item),
    );
  }

  async apply(recorded: RecordedEvent): Promise<ApplyResult> {
    const event = toDomainEvent(notificationDecider, recorded);
    const { revision } = recorded;
    switch (event.type) {
      case 'NotificationRequested':
        return 'skipped';
      case 'RecipientsResolved':
        return this.planned(recorded, event.data.deliveries);
      case 'DeliveryRedirected': {
        await applyIfNewer(this.deliveries, event.data.deliveryId, revision, { status: 'withdrawn' });
        return this.planned(recorded, event.data.deliveries);
      }
      case 'DeliverySucceeded': {
        const { deliveryId, at, attempt, responseCode } = event.data;
        return this.update(deliveryId, revision, { status: 'delivered', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: null, deliveredAt: at });
      }
      case 'DeliveryAttemptFailed': {
        const { deliveryId, at, attempt, responseCode, error, nextAttemptAt } = event.data;
        return this.update(deliveryId, revision, { status: 'retrying', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: error, notBefore: nextAttemptAt });
      }
      case 'DeliveryDeadLettered': {
        const { deliveryId, at, attempt, responseCode, error } = event.data;
        return this.update(deliveryId, revision, { status: 'dead-lettered', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: error });
      }
      case 'DeliveryReplayed':
        return this.update(event.data.deliveryId, revision, { status: 'scheduled', attempts: 0, notBefore: event.data.at });
      case 'InboxItemRead':
        return this.update(event.data.deliveryId, revision, { read: true });
      case 'InboxItemMarkedUnread':
        return this.update(event.data.deliveryId, revision, { read: false });
      case 'InboxItemArchived':
        return this.update(event.data.deliveryId, revision, { archived: true });
      default:
        return assertNever(event);
    }
  }

  private async update(deliveryId: string, revision: number, set: Partial<DeliveryDocument>): Promise<ApplyResult> {
    // Only documents that exist (upsert: false): a delivery is created by the event that planned it.
    const outcome = await applyIfNewer(this.deliveries, deliveryId, revision, set, { upsert: false });
    return outcome === 'applied' ? 'applied' : 'skipped';
  }

  private async planned(recorded: RecordedEvent, plans: readonly DeliveryPlan[]): Promise<ApplyResult> {
    if (plans.length === 0) return 'skipped';
    // The notification as of this event: what the plans' texts and log entries are made of.
    const events = await this.store.readStream(recorded.streamName, { maxCount: recorded.revision + 1 });
    const state = foldRecorded(notificationDecider, events);
    if (state.status === 'none') return 'skipped';
    // Distinct documents: written side by side (each write is guarded on its own).
    const outcomes = await Promise.all(
      plans.map(async (plan) => {
        const doc = await this.documentOf(state, plan, recorded.revision);
        const outcome = await applyIfNewer(this.deliveries, plan.deliveryId, recorded.revision, doc);
        if (outcome === 'applied' && plan.channel === 'in-app') this.items.next({ recipientId: plan.recipientId, item: inboxItemOf({ _id: plan.deliveryId, ...doc } as DeliveryDocument) });
        return outcome;
      }),
    );
    return outcomes.includes('applied') ? 'applied' : 'skipped';
  }

  private async documentOf(n: ExistingNotification, plan: DeliveryPlan, revision: number): Promise<Omit<DeliveryDocument, '_id'>> {
    const inbox = plan.channel === 'in-app' ? await this.renderer.render(n.content, n.data, { locale: plan.locale, timeZone: plan.timeZone }) : undefined;
    return {
      revision,
      notificationId: n.notificationId,
      recipientId: plan.recipientId,
      channel: plan.channel,
      address: plan.address,
      basis: plan.basis,
      mandateId: plan.mandateId,
      mandateVersion: plan.mandateVersion,
      status: plan.status,
      attempts: 0,
      lastAttemptAt: null,
      lastResponseCode: null,
      lastError: null,
      notBefore: plan.notBefore,
      createdAt: plan.notBefore,
      deliveredAt: plan.status === 'delivered' ? plan.notBefore : null,
      category: n.category,
      workflow: n.workflow,
      source: { type: n.source.type, id: n.source.id },
      title: inbox?.subject ?? null,
      body: inbox?.text ?? null,
      read: false,
      archived: false,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  async inbox(recipientId: string, limit: number): Promise<InboxItem[]> {
    const docs = await this.deliveries.find({ recipientId, channel: 'in-app', archived: false }).sort({ createdAt: -1 }).limit(Math.min(limit, MAX_DELIVERY_PAGE)).lean<DeliveryDocument[]>().exec();
    return docs.map(inboxItemOf);
  }

  /** The caller's unread items (for read-all; bounded, the client calls again while some are left). */
  async unread(recipientId: string): Promise<DeliveryDocument[]> {
    return this.deliveries.find({ recipientId, channel: 'in-app', read: false }).limit(MAX_DELIVERY_PAGE).lean<DeliveryDocument[]>().exec();
  }

  async delivery(deliveryId: string): Promise<DeliveryDocument | undefined> {
    return (await this.deliveries.findById(deliveryId).lean<DeliveryDocument>().exec()) ?? undefined;
  }

  async log(query: { readonly recipientId?: string; readonly channel?: string; readonly from?: string; readonly to?: string; readonly limit: number }): Promise<DeliveryDocument[]> {
    const createdAt = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    const filterBy = {
      ...(query.recipientId ? { recipientId: query.recipientId } : {}),
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.from || query.to ? { createdAt } : {}),
    };
    return this.deliveries.find(filterBy).sort({ createdAt: -1 }).limit(Math.min(query.limit, MAX_DELIVERY_PAGE)).lean<DeliveryDocument[]>().exec();
  }
}
