import { z } from 'zod';

/* Path and query parameters of the onboarding API (the bodies are the contracts' REST bodies). */

export const idParam = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');
export const bookingsQuery = z.strictObject({ personId: idParam });
export const feedQuery = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'the feed token of the calendar URL') });
