import { Subject, filter, map, type Observable } from 'rxjs';
import { Schema, type Connection, type Model } from 'mongoose';
import { evolveRecorded, toDomainEvent, type ReadOnlyEventStore, type RecordedEvent } from '@leadership/event-store';
import { assertNever } from '@leadership/kernel';
import type { MessageRenderer } from '@leadership/notifications-application';
import { NOTIFICATION_STREAM_CATEGORY, notificationDecider, type DeliveryPlan, type DeliveryStatus, type ExistingNotification, type NotificationEvent, type NotificationState } from '@leadership/notifications-domain';
import { applyAllIfNewer, modelOn, type ApplyResult, type GuardedWrite, type ProjectedReadModel } from '@leadership/projection';

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
  basis: DeliveryPlan['basis'];
  mandateId: string | null;
  mandateVersion: number | null;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  lastResponseCode: number | null;
  lastError: string | null;
  /** When it is due: its planned time (quiet hours), then the back-off's next attempt after each failure (the logs' `nextAttemptAt` while it waits). */
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

/** What the events of a page do to one delivery document, merged (see DeliveryReadModel.applyBatch). */
interface DocumentChange {
  /** The whole document, when an event of the page planned the delivery. */
  created?: Omit<DeliveryDocument, '_id'>;
  /** Fields later events of the page set. */
  set: Partial<DeliveryDocument>;
  /** Revision of the last event of the page that touched the document. */
  revision: number;
  /** Indexes of the page's events that touched it. */
  readonly events: number[];
}

/**
 * The delivery log and the inbox, kept by a Projector from the notification streams. New in-app
 * items are rendered here (names and unit names looked up now: events carry ids) and announced to
 * the live subscribers of `GET /inbox/stream` once stored; the projector's checkpoint means a
 * restart neither loses an item nor writes one twice.
 *
 * The projector hands it pages of events (`applyBatch`): each delivery document gets one write
 * per page, whatever number of the page's events touched it — a delivery planned and sent within
 * the page is inserted as sent — and the page's new documents are inserted together. `apply` (one
 * event) is the same through the same merge, for the projector's one-by-one path.
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
    const [result] = await this.applyBatch([recorded]);
    return result ?? 'skipped';
  }

  /**
   * Folds the page into one change per delivery document, in event order: a planning event
   * (RecipientsResolved, DeliveryRedirected) creates its documents, every later event of the page
   * sets fields on them. Then writes each document once, at the revision of the last event that
   * touched it, through the revision guard (`applyAllIfNewer`): the new ones inserted together,
   * the others guarded updates of documents that exist (a delivery is created by the event that
   * planned it, so a change to one that is not there creates nothing). Merging is sound because
   * every event sets absolute values: the merged fields are the state after the page's last
   * event, whatever revision the stored document had. An event's result is `applied` when a
   * document it touched was written.
   */
  async applyBatch(page: readonly RecordedEvent[]): Promise<readonly ApplyResult[]> {
    const changes = new Map<string, DocumentChange>();
    const change = (deliveryId: string, index: number, revision: number): DocumentChange => {
      let found = changes.get(deliveryId);
      if (!found) {
        found = { set: {}, revision, events: [] };
        changes.set(deliveryId, found);
      }
      found.revision = revision;
      found.events.push(index);
      return found;
    };
    const set = (deliveryId: string, index: number, revision: number, fields: Partial<DeliveryDocument>): void => {
      const target = change(deliveryId, index, revision);
      if (target.created) target.created = { ...target.created, ...fields };
      else Object.assign(target.set, fields);
    };
    const notifications = new NotificationsAsOf(this.store);
    for (let index = 0; index < page.length; index++) {
      const recorded = page[index] as RecordedEvent;
      const event = toDomainEvent(notificationDecider, recorded);
      const { revision } = recorded;
      switch (event.type) {
        case 'NotificationRequested':
          break;
        case 'RecipientsResolved':
        case 'DeliveryRedirected': {
          if (event.type === 'DeliveryRedirected') set(event.data.deliveryId, index, revision, { status: 'withdrawn' });
          if (event.data.deliveries.length === 0) break;
          // The notification as of this event: what the plans' texts and log entries are made of.
          const state = await notifications.at(recorded);
          if (state.status === 'none') break;
          for (const plan of event.data.deliveries) {
            const target = change(plan.deliveryId, index, revision);
            target.created = { ...(await this.documentOf(state, plan, revision)), ...target.set };
          }
          break;
        }
        default:
          set(event.data.deliveryId, index, revision, fieldsOf(event));
      }
    }
    const writes: GuardedWrite<DeliveryDocument>[] = [...changes].map(([id, c]) =>
      c.created ? { id, revision: c.revision, set: { ...c.created, revision: c.revision }, create: true } : { id, revision: c.revision, set: c.set },
    );
    const outcomes = await applyAllIfNewer(this.deliveries.collection, writes, { upsert: false });
    const results: ApplyResult[] = page.map(() => 'skipped');
    for (const [id, c] of changes) {
      if (outcomes.get(id) !== 'applied') continue;
      for (const index of c.events) results[index] = 'applied';
      // Announced once stored (what SSE subscribers get), in the state the page left it in.
      if (c.created?.channel === 'in-app') this.items.next({ recipientId: c.created.recipientId, item: inboxItemOf({ _id: id, ...c.created } as DeliveryDocument) });
    }
    return results;
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

type DeliveryChange = Exclude<NotificationEvent, { type: 'NotificationRequested' | 'RecipientsResolved' | 'DeliveryRedirected' }>;

/** The fields an event that changes one delivery sets on its document. */
function fieldsOf(event: DeliveryChange): Partial<DeliveryDocument> {
  switch (event.type) {
    case 'DeliverySucceeded': {
      const { at, attempt, responseCode } = event.data;
      return { status: 'delivered', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: null, deliveredAt: at };
    }
    case 'DeliveryAttemptFailed': {
      const { at, attempt, responseCode, error, nextAttemptAt } = event.data;
      return { status: 'retrying', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: error, notBefore: nextAttemptAt };
    }
    case 'DeliveryDeadLettered': {
      const { at, attempt, responseCode, error } = event.data;
      return { status: 'dead-lettered', attempts: attempt, lastAttemptAt: at, lastResponseCode: responseCode, lastError: error };
    }
    case 'DeliveryReplayed':
      return { status: 'scheduled', attempts: 0, notBefore: event.data.at };
    case 'InboxItemRead':
      return { read: true };
    case 'InboxItemMarkedUnread':
      return { read: false };
    case 'InboxItemArchived':
      return { archived: true };
    default:
      return assertNever(event);
  }
}

/**
 * Notifications as of an event of a page, folded from their streams: each stream read once per
 * page (up to the page's event), and folded on from the last state asked for.
 */
class NotificationsAsOf {
  private readonly folded = new Map<string, { readonly events: readonly RecordedEvent[]; state: NotificationState; upTo: number }>();

  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async at(recorded: RecordedEvent): Promise<NotificationState> {
    let entry = this.folded.get(recorded.streamName);
    if (!entry || entry.upTo > recorded.revision || entry.events.length <= recorded.revision) {
      entry = { events: await this.store.readStream(recorded.streamName), state: notificationDecider.initialState(), upTo: -1 };
      this.folded.set(recorded.streamName, entry);
    }
    for (const event of entry.events) if (event.revision > entry.upTo && event.revision <= recorded.revision) entry.state = evolveRecorded(notificationDecider, entry.state, event);
    entry.upTo = recorded.revision;
    return entry.state;
  }
}
