import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/**
 * Reminders have a topic of their own: the mandates topic is compacted (the latest MandateChanged
 * per mandate is its state), and a reminder under the same key would displace that state.
 */
export const MANDATE_REMINDERS_TOPIC = 'leadership.delegation.mandate-reminders.v1';

/** The scheduler found a mandate that expires soon or is due for its review (check-in). */
export const MandateReminderDue = defineIntegrationEvent({
  type: 'leadership.delegation.mandate-reminder-due.v1',
  topic: MANDATE_REMINDERS_TOPIC,
  version: 1,
  description:
    'A mandate expires soon (7 days, then 1 day before `until`) or its review is due. Issued once per reminder ' +
    '(the event id is stable across scheduler restarts); notifications tell delegate and delegator.',
  keyDescription: 'mandate id',
  keyOf: (data) => data.mandateId,
  schema: z.strictObject({
    mandateId: z.string().min(1),
    kind: z.enum(['expiry-reminder', 'review-reminder']),
    dueAt: instant,
    delegateId: z.string().min(1),
    delegatorId: z.string().min(1),
    /** For expiry reminders: days before `until` (7 or 1). */
    daysBefore: z.number().int().positive().nullable(),
    until: instant.nullable(),
    occurredAt: instant,
  }),
  examples: [
    {
      mandateId: '0b6f8f0e-2a7c-4c1e-9d55-3f1f7c2f9a10',
      kind: 'expiry-reminder',
      dueAt: '2026-06-24T00:00:00.000Z',
      delegateId: 'person-anna',
      delegatorId: 'person-manager-1',
      daysBefore: 7,
      until: '2026-07-01T00:00:00.000Z',
      occurredAt: '2026-06-24T00:00:05.000Z',
    },
  ],
});
