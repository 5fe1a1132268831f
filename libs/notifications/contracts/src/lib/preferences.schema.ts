import { z } from 'zod';
import { categorySchema } from './notification-contract-parts';

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');

/**
 * `GET|PUT /preferences` (the caller's): quiet hours in the person's zone (`to` before `from` is an
 * overnight window; `days` are the days a window starts), channels per category, digest per category
 * (`daily` goes out at 08:00 local). Categories not listed follow the workflow's defaults.
 */
export const preferencesSchema = z.strictObject({
  /** IANA time zone, e.g. `Europe/Stockholm`. */
  timeZone: z.string().min(1).max(64),
  quietHours: z.strictObject({ from: localTime, to: localTime, days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1).max(7) }).nullable(),
  channels: z.record(categorySchema, z.strictObject({ inApp: z.boolean(), email: z.boolean() })),
  digest: z.record(categorySchema, z.enum(['off', 'hourly', 'daily'])),
});

export type PreferencesBody = z.infer<typeof preferencesSchema>;
