/*
 * Stream names of the delegation context, `<category>-<id>`. The category never contains '-', so
 * the event store's `categoryOf`/`idOf` split them back at the first dash.
 */
export const MANDATE_STREAM_CATEGORY = 'delegation';
export const TASK_TYPE_STREAM_CATEGORY = 'tasktype';
export const UNIT_STREAM_CATEGORY = 'unit';
export const PERSON_STREAM_CATEGORY = 'person';

function streamOf(category: string, id: string): string {
  if (id.length === 0) throw new TypeError(`${category} stream id must not be empty`);
  return `${category}-${id}`;
}

export const mandateStreamName = (mandateId: string): string => streamOf(MANDATE_STREAM_CATEGORY, mandateId);
export const taskTypeStreamName = (key: string): string => streamOf(TASK_TYPE_STREAM_CATEGORY, key);
export const unitStreamName = (unitId: string): string => streamOf(UNIT_STREAM_CATEGORY, unitId);
export const personStreamName = (personId: string): string => streamOf(PERSON_STREAM_CATEGORY, personId);
