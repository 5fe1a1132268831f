import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';
import { channelSchema, prioritySchema, skillSchema } from './case-contract-parts';

/**
 * Consumed: other departments submit cases here (CloudEvents; the CloudEvent id is the
 * idempotency key, so a redelivered message creates one case).
 */
export const INTAKE_TOPIC = 'leadership.cases.intake.v1';

/** The fields of a new case, as `POST /cases` takes them too. */
export const caseSubmissionSchema = z.strictObject({
  queueId: z.string().min(1).max(128),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  priority: prioritySchema,
  channel: channelSchema,
  requiredSkills: z.array(skillSchema).max(20).optional(),
  preferredSkills: z.array(skillSchema).max(20).optional(),
  /** The sender's own reference of the case (e.g. a CRM ticket number). */
  externalRef: z.string().min(1).max(200).optional(),
});

export type CaseSubmission = z.infer<typeof caseSubmissionSchema>;

/** A department asks the case distribution service to take a case. */
export const CaseSubmitted = defineIntegrationEvent({
  type: 'leadership.cases.case-submitted.v1',
  topic: INTAKE_TOPIC,
  version: 1,
  description:
    'A case for one of the queues, sent by another department or system. The service registers it (idempotent by CloudEvent id) ' +
    'and routes it; its state then appears on leadership.cases.cases.v1.',
  keyDescription: 'the sender reference when given, else the queue id',
  keyOf: (data) => data.externalRef ?? data.queueId,
  schema: caseSubmissionSchema,
  examples: [
    {
      queueId: 'general',
      title: 'Windscreen claim',
      description: 'Stone chip on the motorway, customer asks for a repair appointment.',
      priority: 'P3',
      channel: 'email',
      requiredSkills: [{ name: 'motor', level: 2 }],
      preferredSkills: [{ name: 'german', level: 3 }],
      externalRef: 'CRM-4711',
    },
  ],
});
