import { InvalidEventError, InvalidStreamNameError } from './event-store.errors';
import type { AllFilter, NewEvent, ReadAllOptions, ReadStreamOptions } from './event-store.port';

/*
 * Input checks shared by both adapters, so that they refuse exactly the same input with the same
 * typed errors, before anything is written. They run on every append: they are allocation-free
 * on the happy path (error paths are built only while unwinding).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses empty, blank and `$`-prefixed (engine-reserved) stream names. */
export function assertStreamName(streamName: unknown): asserts streamName is string {
  if (typeof streamName !== 'string') throw new InvalidStreamNameError(String(streamName), 'not a string');
  if (streamName.trim().length === 0) throw new InvalidStreamNameError(streamName, 'empty or blank');
  if (streamName.startsWith('$')) throw new InvalidStreamNameError(streamName, "names starting with '$' are reserved for the engine");
}

/**
 * Checks a batch to append and returns its event ids in lower case (the form adapters compare and
 * index). Throws InvalidEventError on the first problem found.
 */
export function assertNewEvents(events: readonly NewEvent[]): string[] {
  if (!Array.isArray(events)) throw new InvalidEventError('events must be an array');
  if (events.length === 0) throw new InvalidEventError('at least one event is required');
  const ids: string[] = new Array<string>(events.length);
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (!isPlainObject(event)) throw new InvalidEventError(`events[${i}] is not an object`);
    const { type, data, metadata } = event as Partial<NewEvent>;
    if (typeof type !== 'string' || type.trim().length === 0) throw new InvalidEventError(`events[${i}].type is missing or blank`);
    if (type.startsWith('$')) throw new InvalidEventError(`events[${i}].type "${type}": types starting with '$' are reserved for the engine`);
    if (!isPlainObject(metadata)) throw new InvalidEventError(`events[${i}].metadata is missing or not a plain object`);
    const eventId: unknown = metadata['eventId'];
    if (typeof eventId !== 'string' || eventId.length === 0) throw new InvalidEventError(`events[${i}].metadata.eventId is missing`);
    if (!UUID.test(eventId)) throw new InvalidEventError(`events[${i}].metadata.eventId "${eventId}" is not a UUID`);
    const id = eventId.toLowerCase();
    if (seen.has(id)) throw new InvalidEventError(`events[${i}].metadata.eventId ${eventId} appears twice in the batch`);
    seen.add(id);
    ids[i] = id;
    const dataProblem = jsonProblem(data);
    if (dataProblem !== undefined) throw new InvalidEventError(`events[${i}].data${dataProblem}`);
    const metadataProblem = jsonProblem(metadata);
    if (metadataProblem !== undefined) throw new InvalidEventError(`events[${i}].metadata${metadataProblem}`);
  }
  return ids;
}

/** Refuses read options that would otherwise be silently misread (negative counts, fractions). */
export function assertReadStreamOptions(options: ReadStreamOptions): void {
  if (options.direction !== undefined && options.direction !== 'forwards' && options.direction !== 'backwards') {
    throw new RangeError(`direction must be 'forwards' or 'backwards', got ${String(options.direction)}`);
  }
  assertCount('fromRevision', options.fromRevision);
  assertCount('maxCount', options.maxCount);
}

export function assertReadAllOptions(options: Pick<ReadAllOptions, 'after' | 'maxCount'>): void {
  if (options.after !== undefined && (typeof options.after !== 'bigint' || options.after < 0n)) {
    throw new RangeError(`after must be a bigint >= 0, got ${String(options.after)}`);
  }
  assertCount('maxCount', options.maxCount);
}

/**
 * An empty list in a filter is refused rather than read as "everything" or "nothing": both
 * readings are plausible, and guessing wrong silently feeds a projection the wrong events.
 */
export function assertAllFilter(filter: AllFilter | undefined): void {
  if (filter === undefined) return;
  for (const [name, list] of [
    ['streamCategories', filter.streamCategories],
    ['eventTypes', filter.eventTypes],
  ] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) throw new RangeError(`filter.${name} must be a non-empty array; omit it to accept all`);
    for (const item of list) {
      if (typeof item !== 'string' || item.length === 0) throw new RangeError(`filter.${name} must hold non-empty strings`);
    }
  }
}

function assertCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be an integer >= 0, got ${String(value)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Why `value` would not survive a JSON round trip unchanged, as a path suffix plus reason
 * (e.g. `.amount is NaN`), or undefined when it would. `JSON.stringify` alone is not enough: it
 * silently drops undefined and functions, turns NaN into null and Dates into strings.
 */
export function jsonProblem(value: unknown, ancestors: object[] = []): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : ` is ${value} (not representable in JSON)`;
    case 'undefined':
      return ' is undefined';
    case 'function':
      return ' is a function';
    case 'bigint':
      return ' is a BigInt';
    case 'symbol':
      return ' is a symbol';
    default:
      break;
  }
  if (value === null) return undefined;
  const object = value as object;
  // Only the chain of ancestors counts as a cycle: the same object twice side by side is fine.
  if (ancestors.includes(object)) return ' is a circular reference';
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const problem = jsonProblem(object[i], ancestors);
        if (problem !== undefined) return `[${i}]${problem}`;
      }
      return undefined;
    }
    if (!isPlainObject(object)) return ` is a ${object.constructor?.name ?? 'non-plain object'}, not plain JSON`;
    for (const key of Object.keys(object)) {
      const problem = jsonProblem(object[key], ancestors);
      if (problem !== undefined) return `.${key}${problem}`;
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}
