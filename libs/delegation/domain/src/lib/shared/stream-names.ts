import { streamName } from '@leadership/kernel';

/*
 * Stream names of the delegation context, `<category>-<id>` (the kernel's `streamName`). The
 * category never contains '-', so the kernel's `categoryOf`/`idOf` split them back.
 */
export const MANDATE_STREAM_CATEGORY = 'delegation';
export const TASK_TYPE_STREAM_CATEGORY = 'tasktype';
export const UNIT_STREAM_CATEGORY = 'unit';
export const PERSON_STREAM_CATEGORY = 'person';

export const mandateStreamName = (mandateId: string): string => streamName(MANDATE_STREAM_CATEGORY, mandateId);
export const taskTypeStreamName = (key: string): string => streamName(TASK_TYPE_STREAM_CATEGORY, key);
export const unitStreamName = (unitId: string): string => streamName(UNIT_STREAM_CATEGORY, unitId);
export const personStreamName = (personId: string): string => streamName(PERSON_STREAM_CATEGORY, personId);
