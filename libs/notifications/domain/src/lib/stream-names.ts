import { streamName } from '@leadership/kernel';

/*
 * Stream names of the notifications context, `<category>-<id>` (the kernel's `streamName`). The
 * category never contains '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const NOTIFICATION_STREAM_CATEGORY = 'notification';

export const notificationStreamName = (notificationId: string): string => streamName(NOTIFICATION_STREAM_CATEGORY, notificationId);
