import { streamName } from '@leadership/kernel';

/*
 * Stream names of the case distribution context, `<category>-<id>` (the kernel's `streamName`). The
 * category never contains '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const CASE_STREAM_CATEGORY = 'case';

export const caseStreamName = (caseId: string): string => streamName(CASE_STREAM_CATEGORY, caseId);
