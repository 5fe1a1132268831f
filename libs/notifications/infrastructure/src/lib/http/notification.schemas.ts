import { z } from 'zod';

/*
 * Request shapes of the notifications API beyond the contracts' bodies: strict objects (unknown
 * fields are a 400), bounded strings. The OpenAPI document shows the same schemas.
 */

export const markReadBody = z.strictObject({ deliveryId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/) });
export const notificationIdParam = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of 1-128 letters, digits, ".", "_", ":" or "-"');
