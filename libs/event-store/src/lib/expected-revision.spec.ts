import type { ExpectedRevision } from './event-store.port';
import { assertExpectedRevision, matchesExpectedRevision, type CurrentRevision } from './expected-revision';

describe('matchesExpectedRevision', () => {
  it.each<[ExpectedRevision, CurrentRevision, boolean]>([
    ['any', 'no_stream', true],
    ['any', 4, true],
    ['no_stream', 'no_stream', true],
    ['no_stream', 0, false],
    ['stream_exists', 'no_stream', false],
    ['stream_exists', 0, true],
    [3, 3, true],
    [3, 2, false],
    [3, 4, false],
    [0, 'no_stream', false],
  ])('expected %p at %p: %p', (expected, current, matches) => {
    expect(matchesExpectedRevision(expected, current)).toBe(matches);
  });
});

describe('assertExpectedRevision', () => {
  it.each<ExpectedRevision>(['any', 'no_stream', 'stream_exists', 0, 12])('accepts %p', (expected) => {
    expect(() => assertExpectedRevision(expected)).not.toThrow();
  });

  it.each([-1, 0.5, Number.NaN, 2 ** 53, 'latest' as ExpectedRevision])('refuses %p', (expected) => {
    expect(() => assertExpectedRevision(expected)).toThrow(RangeError);
  });
});
