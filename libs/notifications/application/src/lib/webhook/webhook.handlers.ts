import { randomBytes } from 'node:crypto';
import { handleCommand, readAggregate, type EventStore, type ReadOnlyEventStore } from '@leadership/event-store';
import { metadataFor, type CommandContext } from '@leadership/kernel';
import { webhookDecider, webhookStreamName, WebhookNotFoundError, type ExistingWebhook } from '@leadership/notifications-domain';

/** A subscription as the API shows it: never its secrets (except a generated one, once). */
export interface WebhookView {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly status: 'enabled' | 'disabled';
  readonly version: number;
  /** Set only when this request generated the secret: the one time it is shown. */
  readonly secret?: string;
  readonly secretsInForce: number;
}

const view = (state: ExistingWebhook, version: number, secret?: string): WebhookView => ({
  webhookId: state.webhookId,
  url: state.url,
  eventTypes: state.eventTypes,
  status: state.status,
  version,
  secretsInForce: state.secrets.length,
  ...(secret ? { secret } : {}),
});

/** A fresh Standard Webhooks secret: 32 random bytes. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** `PUT /webhooks/{id}` (admin): creates or changes a subscription; a new secret rotates with overlap. */
export class PutWebhookHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: { readonly webhookId: string; readonly url: string; readonly eventTypes: readonly string[]; readonly secret?: string }, context: CommandContext): Promise<WebhookView & { readonly created: boolean }> {
    const stream = webhookStreamName(input.webhookId);
    const existing = await readAggregate(this.store, webhookDecider, stream);
    // A new subscription without a secret gets one, shown in this answer only.
    const generated = existing.state.status === 'none' && !input.secret ? generateWebhookSecret() : undefined;
    const result = await handleCommand(
      this.store,
      stream,
      webhookDecider,
      { type: 'PutWebhook', data: { webhookId: input.webhookId, actorId: context.actorId, at: this.now().toISOString(), url: input.url, eventTypes: input.eventTypes, secret: input.secret ?? generated ?? null } },
      { metadata: metadataFor(context, stream) },
    );
    const state = result.newState;
    if (state.status === 'none' || typeof result.nextExpectedRevision !== 'number') throw new WebhookNotFoundError(input.webhookId);
    if (result.newEvents.length > 0) this.changed();
    return { ...view(state, result.nextExpectedRevision, generated), created: existing.state.status === 'none' };
  }
}

/** `POST /webhooks/{id}/rotate-secret` (admin): a new secret; the old one keeps signing for the overlap. */
export class RotateWebhookSecretHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: { readonly webhookId: string; readonly secret?: string; readonly overlapHours?: number }, context: CommandContext): Promise<WebhookView> {
    const stream = webhookStreamName(input.webhookId);
    const secret = input.secret ?? generateWebhookSecret();
    const result = await handleCommand(
      this.store,
      stream,
      webhookDecider,
      { type: 'RotateWebhookSecret', data: { webhookId: input.webhookId, actorId: context.actorId, at: this.now().toISOString(), secret, ...(input.overlapHours !== undefined ? { overlapHours: input.overlapHours } : {}) } },
      { metadata: metadataFor(context, stream) },
    );
    const state = result.newState;
    if (state.status === 'none' || typeof result.nextExpectedRevision !== 'number') throw new WebhookNotFoundError(input.webhookId);
    this.changed();
    return view(state, result.nextExpectedRevision, input.secret ? undefined : secret);
  }
}

/** The subscription from its stream, for the API. */
export class GetWebhookQuery {
  constructor(private readonly store: Pick<ReadOnlyEventStore, 'readStream'>) {}

  async execute(webhookId: string): Promise<WebhookView> {
    const { state, revision } = await readAggregate(this.store, webhookDecider, webhookStreamName(webhookId));
    if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
    return view(state, revision);
  }
}

/**
 * `POST /webhooks/{id}/disable` `{ reason }` and `/enable` (admin). A disabled subscription gets no
 * new deliveries; a request due while it is disabled is dead-lettered ("disabled or gone") and can
 * be replayed after it is enabled again.
 */
export class SetWebhookStatusHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly changed: () => void = () => undefined,
  ) {}

  async execute(input: { readonly webhookId: string; readonly enabled: boolean; readonly reason?: string }, context: CommandContext): Promise<WebhookView> {
    const stream = webhookStreamName(input.webhookId);
    const data = { webhookId: input.webhookId, actorId: context.actorId, at: this.now().toISOString() };
    const result = await handleCommand(
      this.store,
      stream,
      webhookDecider,
      input.enabled ? { type: 'EnableWebhook', data } : { type: 'DisableWebhook', data: { ...data, reason: input.reason ?? '' } },
      { metadata: metadataFor(context, stream) },
    );
    const state = result.newState;
    if (state.status === 'none' || typeof result.nextExpectedRevision !== 'number') throw new WebhookNotFoundError(input.webhookId);
    if (result.newEvents.length > 0) this.changed();
    return view(state, result.nextExpectedRevision);
  }
}

/** A subscription in the list: what it is sent, and whether it is; never its secrets. */
export type WebhookListItem = Omit<WebhookView, 'version' | 'secret'>;

/** `GET /webhooks` (admin): every subscription, from the dispatcher's board (what it delivers to) caught up with the store, by id. */
export class ListWebhooksQuery {
  constructor(private readonly webhooks: { catchUp(): Promise<void>; allWebhooks(): Iterable<ExistingWebhook> }) {}

  async execute(): Promise<{ readonly items: readonly WebhookListItem[] }> {
    await this.webhooks.catchUp();
    const items = [...this.webhooks.allWebhooks()].map(({ webhookId, url, eventTypes, status, secrets }) => ({ webhookId, url, eventTypes, status, secretsInForce: secrets.length }));
    return { items: items.sort((a, b) => a.webhookId.localeCompare(b.webhookId)) };
  }
}
