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
 * A person as other services may know them: ids, locale, unit memberships, skills and absence
 * periods. Names, e-mail addresses and anything else personal (why someone is away) stay in the
 * delegation service (GET /directory/people/{id}).
 */
export const PersonChanged = defineIntegrationEvent({
  type: 'leadership.delegation.person-changed.v1',
  topic: DIRECTORY_TOPIC,
  version: 1,
  description:
    'A person was registered or changed (locale, unit memberships, skills, absence periods); the full state after the change. ' +
    'Keep the highest `version` per personId. `skills` and `absences` were added within v1: messages published before carry neither (read them as unknown, not as none).',
  keyDescription: 'person id',
  keyOf: (data) => data.personId,
  schema: z.strictObject({
    personId: z.string().min(1),
    version: z.number().int().nonnegative(),
    locale: z.string().min(2),
    unitIds: z.array(z.string().min(1)),
    /** Skill names, sorted and unique (optional: added within v1). */
    skills: z.array(z.string().min(1)).optional(),
    /** Periods `[from, to)` in which the person is away, in UTC, ordered by `from`; no reasons (optional: added within v1). */
    absences: z.array(z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })).optional(),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
  examples: [
    {
      personId: 'person-anna',
      version: 2,
      locale: 'de-DE',
      unitIds: ['unit-claims'],
      skills: ['de', 'motor-claims'],
      absences: [{ from: '2026-07-01T00:00:00.000Z', to: '2026-07-15T00:00:00.000Z' }],
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
  ],
});
