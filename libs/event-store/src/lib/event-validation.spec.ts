import { randomUUID } from 'node:crypto';
import { InvalidEventError, InvalidStreamNameError } from './event-store.errors';
import type { NewEvent } from './event-store.port';
import { assertAllFilter, assertNewEvents, assertReadAllOptions, assertReadStreamOptions, assertStreamName, jsonProblem } from './event-validation';

const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({ type: 'Happened', data: {}, metadata: { eventId: randomUUID() }, ...overrides });

describe('jsonProblem', () => {
  it.each([null, true, 0, -1.5, 'text', [], [1, 'a', null], {}, { a: { b: [{ c: 'd' }] } }, Object.create(null) as object])('accepts plain JSON %p', (value) => {
    expect(jsonProblem(value)).toBeUndefined();
  });

  it.each([
    [undefined, ' is undefined'],
    [() => 1, ' is a function'],
    [1n, ' is a BigInt'],
    [Symbol('s'), ' is a symbol'],
    [Number.NaN, ' is NaN (not representable in JSON)'],
    [Number.NEGATIVE_INFINITY, ' is -Infinity (not representable in JSON)'],
    [new Date(0), ' is a Date, not plain JSON'],
    [new Map(), ' is a Map, not plain JSON'],
    [{ a: [1, { b: undefined }] }, '.a[1].b is undefined'],
    // A hole reads as undefined and JSON would write null: refused.
    [Object.assign(new Array<number>(3), { 0: 1, 2: 3 }), '[1] is undefined'],
  ])('refuses %p and says where: %s', (value, problem) => {
    expect(jsonProblem(value)).toBe(problem);
  });

  it('refuses a cycle but accepts the same object twice side by side', () => {
    const node: Record<string, unknown> = {};
    node['child'] = { parent: node };
    expect(jsonProblem(node)).toBe('.child.parent is a circular reference');
    const shared = { x: 1 };
    expect(jsonProblem({ a: shared, b: [shared, shared] })).toBeUndefined();
  });
});

describe('assertNewEvents', () => {
  it('returns the event ids in lower case', () => {
    const id = randomUUID();
    expect(assertNewEvents([event({ metadata: { eventId: id.toUpperCase() } })])).toEqual([id]);
  });

  it.each([
    ['no events', [], /at least one event/],
    ['a missing type', [event({ type: undefined as unknown as string })], /type is missing/],
    ['an engine type', [event({ type: '$metadata' })], /reserved/],
    ['no metadata', [event({ metadata: undefined as unknown as NewEvent['metadata'] })], /metadata is missing/],
    ['a missing eventId', [event({ metadata: {} as NewEvent['metadata'] })], /eventId is missing/],
    ['an eventId that is not a UUID', [event({ metadata: { eventId: 'abc' } })], /not a UUID/],
    ['data that is not JSON', [event(), event({ data: { at: new Date() } })], /events\[1\]\.data\.at is a Date/],
    ['metadata that is not JSON', [event({ metadata: { eventId: randomUUID(), n: Number.NaN } })], /metadata\.n is NaN/],
  ])('refuses %s', (_, events, message) => {
    expect(() => assertNewEvents(events)).toThrow(InvalidEventError);
    expect(() => assertNewEvents(events)).toThrow(message);
  });

  it('refuses the same id twice in a batch, whatever its case', () => {
    const id = randomUUID();
    expect(() => assertNewEvents([event({ metadata: { eventId: id } }), event({ metadata: { eventId: id.toUpperCase() } })])).toThrow(/appears twice/);
  });
});

describe('assertStreamName', () => {
  it.each(['', ' ', '\t', '$all', '$ce-delegation'])('refuses %p', (name) => {
    expect(() => assertStreamName(name)).toThrow(InvalidStreamNameError);
  });

  it.each(['delegation-1', 'x', 'a b'])('accepts %p', (name) => {
    expect(() => assertStreamName(name)).not.toThrow();
  });
});

describe('read options', () => {
  it('refuses negative or fractional counts and revisions, and an unknown direction', () => {
    expect(() => assertReadStreamOptions({ maxCount: -1 })).toThrow(RangeError);
    expect(() => assertReadStreamOptions({ fromRevision: 1.5 })).toThrow(RangeError);
    expect(() => assertReadStreamOptions({ direction: 'sideways' as 'forwards' })).toThrow(RangeError);
    expect(() => assertReadAllOptions({ after: -1n })).toThrow(RangeError);
    expect(() => assertReadStreamOptions({ direction: 'backwards', fromRevision: 0, maxCount: 0 })).not.toThrow();
  });

  it('refuses empty filter lists rather than guessing "all" or "none"', () => {
    expect(() => assertAllFilter({ streamCategories: [] })).toThrow(/omit it/);
    expect(() => assertAllFilter({ eventTypes: [''] })).toThrow(RangeError);
    expect(() => assertAllFilter({ streamCategories: ['a'], eventTypes: ['T'] })).not.toThrow();
  });
});
