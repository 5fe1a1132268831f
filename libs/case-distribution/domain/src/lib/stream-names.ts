import { streamName } from '@leadership/kernel';

/*
 * Stream names of the case distribution context, `<category>-<id>` (the kernel's `streamName`). The
 * categories never contain '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const CASE_STREAM_CATEGORY = 'case';
export const QUEUE_STREAM_CATEGORY = 'queue';
export const AGENT_STREAM_CATEGORY = 'agent';

export const caseStreamName = (caseId: string): string => streamName(CASE_STREAM_CATEGORY, caseId);
export const queueStreamName = (queueId: string): string => streamName(QUEUE_STREAM_CATEGORY, queueId);
export const agentStreamName = (personId: string): string => streamName(AGENT_STREAM_CATEGORY, personId);
