import { streamName } from '@leadership/kernel';

/*
 * Stream names of the onboarding context, `<category>-<id>` (the kernel's `streamName`). The
 * category never contains '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const PLAN_STREAM_CATEGORY = 'plan';

export const planStreamName = (planId: string): string => streamName(PLAN_STREAM_CATEGORY, planId);
