import { defineIntegrationEvent } from '@leadership/messaging-contracts';
import { z } from 'zod';

/** Kafka topic of directory changes; key = unit id or person id. */
export const DIRECTORY_TOPIC = 'leadership.delegation.directory.v1';

/** A unit as other services need it: hierarchy and formal managers. */
export const UnitChanged = defineIntegrationEvent({
  type: 'leadership.delegation.unit-changed.v1',
  topic: DIRECTORY_TOPIC,
  version: 1,
  description: 'A unit was registered or changed (name, parent, formal managers). Keep the highest `version` per unitId.',
  keyDescription: 'unit id',
  keyOf: (data) => data.unitId,
  schema: z.strictObject({
    unitId: z.string().min(1),
    version: z.number().int().nonnegative(),
    name: z.string().min(1),
    parentId: z.string().min(1).nullable(),
    managerIds: z.array(z.string().min(1)),
    /** Managers removed by this change (their mandates in this unit are flagged for reconfirmation). */
    removedManagerIds: z.array(z.string().min(1)),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
  examples: [
    {
      unitId: 'unit-claims',
      version: 0,
      name: 'Claims',
      parentId: null,
      managerIds: ['person-manager-1'],
      removedManagerIds: [],
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
  ],
});

/**
 * A person as other services may know them: ids, locale and unit memberships only. Names and
 * e-mail addresses stay in the delegation service (GET /directory/people/{id}).
 */
export const PersonChanged = defineIntegrationEvent({
  type: 'leadership.delegation.person-changed.v1',
  topic: DIRECTORY_TOPIC,
  version: 1,
  description: 'A person was registered or changed (locale, unit memberships). Keep the highest `version` per personId.',
  keyDescription: 'person id',
  keyOf: (data) => data.personId,
  schema: z.strictObject({
    personId: z.string().min(1),
    version: z.number().int().nonnegative(),
    locale: z.string().min(2),
    unitIds: z.array(z.string().min(1)),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
  examples: [{ personId: 'person-anna', version: 0, locale: 'de-DE', unitIds: ['unit-claims'], occurredAt: '2026-01-01T00:00:00.000Z' }],
});
