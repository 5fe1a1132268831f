import { daysBetween, isLocalDate, isLocalTime, isTimeZone, localDateOf, localDateTimeOf, plusDays, zonedInstant, zonedInstants } from './local-time';

describe('local time (pure, Intl-based)', () => {
  it('knows IANA zones and refuses offsets, legacy names and nonsense', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('+01:00')).toBe(false);
    // The runtime knows these (notifications accepts them for preferences); a plan is in an IANA Area/Location zone.
    expect(isTimeZone('EST5EDT')).toBe(false);
    expect(isTimeZone('GMT+0')).toBe(false);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('accepts real dates and HH:MM times only', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(isLocalTime('23:59')).toBe(true);
    expect(isLocalTime('24:00')).toBe(false);
    expect(isLocalTime('9:00')).toBe(false);
  });

  it('counts calendar days, across month and year ends', () => {
    expect(plusDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(plusDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-26', '2026-10-24')).toBe(-2);
  });

  describe('Europe/Stockholm', () => {
    const tz = 'Europe/Stockholm';

    it('is UTC+1 in winter and UTC+2 in summer', () => {
      expect(zonedInstant('2026-01-15', '09:00', tz)).toBe('2026-01-15T08:00:00.000Z');
      expect(zonedInstant('2026-07-15', '09:00', tz)).toBe('2026-07-15T07:00:00.000Z');
    });

    it('on 2026-03-29 (clocks go 02:00 → 03:00): before, in the gap (moved forward by the gap), after', () => {
      expect(zonedInstant('2026-03-29', '01:30', tz)).toBe('2026-03-29T00:30:00.000Z');
      expect(zonedInstant('2026-03-29', '02:30', tz)).toBe('2026-03-29T01:30:00.000Z');
      expect(localDateTimeOf(Date.parse('2026-03-29T01:30:00.000Z'), tz)).toEqual({ date: '2026-03-29', time: '03:30' });
      expect(zonedInstant('2026-03-29', '09:00', tz)).toBe('2026-03-29T07:00:00.000Z');
      expect(zonedInstant('2026-03-28', '09:00', tz)).toBe('2026-03-28T08:00:00.000Z');
    });

    it('on 2026-10-25 (clocks go 03:00 → 02:00): a time that occurs twice is its first occurrence', () => {
      expect(zonedInstant('2026-10-25', '02:30', tz)).toBe('2026-10-25T00:30:00.000Z');
      expect(localDateTimeOf(Date.parse('2026-10-25T01:30:00.000Z'), tz)).toEqual({ date: '2026-10-25', time: '02:30' });
      expect(zonedInstant('2026-10-25', '09:00', tz)).toBe('2026-10-25T08:00:00.000Z');
      expect(zonedInstant('2026-10-24', '09:00', tz)).toBe('2026-10-24T07:00:00.000Z');
    });

    it('reads local dates back at midnight boundaries', () => {
      expect(localDateOf('2026-10-25T22:59:59.000Z', tz)).toBe('2026-10-25');
      expect(localDateOf('2026-10-25T23:00:00.000Z', tz)).toBe('2026-10-26');
      expect(zonedInstant('2026-10-26', '00:00', tz)).toBe('2026-10-25T23:00:00.000Z');
    });
  });

  it('speaks text in and out in any zone (the conversions and their DST cases are the kernel zoned-time spec)', () => {
    expect(zonedInstant('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedInstant('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z');
    expect(zonedInstant('2026-06-01', '09:00', 'Asia/Kolkata')).toBe('2026-06-01T03:30:00.000Z');
    expect(localDateTimeOf(Date.parse('2026-10-03T15:45:00.000Z'), 'Australia/Lord_Howe')).toEqual({ date: '2026-10-04', time: '02:45' });
  });

  describe('zonedInstants (one zone, offsets remembered: a plan schedules its steps with it)', () => {
    it('resolves the gap and the overlap as zonedInstant does, from remembered offsets too', () => {
      const instantOf = zonedInstants('Europe/Stockholm');
      expect(instantOf('2026-03-29', '09:00')).toBe('2026-03-29T07:00:00.000Z');
      expect(instantOf('2026-03-29', '02:30')).toBe('2026-03-29T01:30:00.000Z');
      expect(instantOf('2026-10-25', '09:00')).toBe('2026-10-25T08:00:00.000Z');
      expect(instantOf('2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z');
      expect(instantOf('2026-10-26', '00:00')).toBe('2026-10-25T23:00:00.000Z');
    });
  });
});
