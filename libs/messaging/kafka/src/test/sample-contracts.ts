import { z } from 'zod';
import { defineIntegrationEvent } from '@leadership/messaging-contracts';

/*
 * Contracts and domain events shaped like the delegation context's, for this library's unit
 * specs only (the real ones live in the contexts' contracts libraries).
 */
export const MANDATES_TOPIC = 'leadership.delegation.mandates.v1';

export const mandateGranted = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-granted.v1',
  topic: MANDATES_TOPIC,
  version: 1,
  description: 'A mandate came into force.',
  keyDescription: 'mandate id',
  schema: z.strictObject({ mandateId: z.string().min(1), delegateId: z.string().min(1), authorities: z.array(z.string()) }),
  keyOf: (data) => data.mandateId,
});

export const mandateRevoked = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-revoked.v1',
  topic: MANDATES_TOPIC,
  version: 1,
  description: 'A mandate was revoked.',
  keyDescription: 'mandate id',
  schema: z.strictObject({ mandateId: z.string().min(1), reason: z.string().optional() }),
  keyOf: (data) => data.mandateId,
});

/** Domain events of the sample aggregate (stream category `mandate`). */
export type SampleDomainEvent =
  | { readonly type: 'MandateAccepted'; readonly data: { readonly mandateId: string; readonly delegateId: string; readonly authorities: readonly string[] } }
  | { readonly type: 'MandateRevoked'; readonly data: { readonly mandateId: string; readonly reason?: string } }
  | { readonly type: 'MandateNoteAdded'; readonly data: { readonly mandateId: string; readonly note: string } };
