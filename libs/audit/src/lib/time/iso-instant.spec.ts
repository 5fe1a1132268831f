import { instantMillis, isIsoInstant } from './iso-instant';

/** Date.parse behind the strict form check: what instantMillis must answer for every input. */
function reference(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

describe('instantMillis', () => {
  it.each([
    '2025-03-01T12:34:56.789Z',
    '1970-01-01T00:00:00.000Z',
    '0001-01-01T00:00:00.000Z',
    '0099-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '2024-02-29T00:00:00.000Z',
    '2025-02-29T00:00:00.000Z', // rolls over to March 1, as Date.parse does
    '2025-02-31T10:00:00.000Z',
    '2025-04-31T00:00:00.000Z',
    '2025-01-01T24:00:00.000Z', // hour 24: left to Date.parse
    '2025-13-01T00:00:00.000Z',
    '2025-00-01T00:00:00.000Z',
    '2025-01-00T00:00:00.000Z',
    '2025-01-32T00:00:00.000Z',
    '2025-01-01T23:60:00.000Z',
    '2025-01-01T23:59:60.000Z',
    '2025-01-01T00:00:00.00aZ',
    '2025-01-01T00:00:00,000Z',
    '2025-01-01 00:00:00.000Z',
    '2025-01-01T00:00:00Z',
    '2025-01-01T00:00Z',
    '2025-01-01T01:00:00.000+01:00',
    '2025-01-01T00:00:00.123456789Z',
    '2025-01-01T00:00:00.000',
    '2025-01-01',
    '+02025-01-01T00:00:00.000Z',
    'yesterday',
    '',
  ])('agrees with Date.parse behind the strict form check for %j', (value) => {
    expect(instantMillis(value)).toBe(reference(value));
  });

  it('agrees on every canonical instant a clock could write over four centuries (sampled)', () => {
    for (let millis = Date.UTC(1800, 0, 1); millis < Date.UTC(2200, 0, 1); millis += 7_919_993_377) {
      const text = new Date(millis).toISOString();
      expect(instantMillis(text)).toBe(millis);
    }
  });

  it('refuses what is not a string', () => {
    expect(instantMillis(undefined)).toBeUndefined();
    expect(instantMillis(1_700_000_000_000)).toBeUndefined();
    expect(isIsoInstant(null)).toBe(false);
    expect(isIsoInstant('2025-01-01T00:00:00Z')).toBe(true);
  });
});
