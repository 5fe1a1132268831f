import { handleCommand, type EventStore } from '@leadership/event-store';
import { metadataFor } from '@leadership/kernel';
import { notificationDecider, notificationStreamName, workflowRequest, workflowsFor, type SourceEvent } from '@leadership/notifications-domain';

/** A consumed integration event as the workflows see it: its CloudEvent type and id, the `change`/`kind` value, flat facts. */
export interface ConsumedSourceEvent extends SourceEvent {
  readonly kind: string;
  /** The CloudEvent's `source` (who published it): the actor of the request. */
  readonly publisher: string;
}

/**
 * Turns a consumed event into the notifications its workflows make. Idempotent by construction:
 * each notification's id is derived from the CloudEvent id and the workflow
 * (`notificationIdForSourceEvent`), so a redelivered event finds the notifications it made and
 * appends nothing (the decider's RequestNotification is a no-op for the same content). Domain
 * refusals (a template variable missing) propagate: the consumer parks the message.
 */
export class StartWorkflowsHandler {
  constructor(
    private readonly store: EventStore,
    private readonly now: () => Date,
    private readonly requested: () => void = () => undefined,
  ) {}

  async execute(event: ConsumedSourceEvent): Promise<readonly string[]> {
    const at = this.now().toISOString();
    const made: string[] = [];
    for (const workflow of workflowsFor(event.type, event.kind)) {
      const command = workflowRequest(workflow, event, `system:${event.publisher}`, at);
      if (!command) continue;
      const stream = notificationStreamName(command.data.notificationId);
      await handleCommand(this.store, stream, notificationDecider, command, { metadata: metadataFor({ actorId: command.data.actorId, causationId: event.id }, stream) });
      made.push(command.data.notificationId);
    }
    if (made.length > 0) this.requested();
    return made;
  }
}
