import { daysBetween, isLocalDate, isLocalTime, isTimeZone, localDateOf, localDateTimeOf, plusDays, zonedInstant, zonedInstants } from './local-time';

describe('local time (pure, Intl-based)', () => {
  it('knows IANA zones and refuses offsets and nonsense', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('+01:00')).toBe(false);
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

  it('works in zones west of UTC and with half-hour offsets', () => {
    expect(zonedInstant('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedInstant('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedInstant('2026-06-01', '09:00', 'Asia/Kolkata')).toBe('2026-06-01T03:30:00.000Z');
  });

  describe('zonedInstants (one zone, offsets remembered: a plan schedules its steps with it)', () => {
    const halfHours = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`);

    it.each(['Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe'])('answers as zonedInstant every half hour around both changes of 2026 in %s', (tz) => {
      const instantOf = zonedInstants(tz);
      // Days around the changes of both hemispheres, visited forwards then backwards: later answers come from remembered offsets.
      const days = ['2026-03-06', '2026-03-28', '2026-04-04', '2026-10-03', '2026-10-24', '2026-10-31'].flatMap((first) => Array.from({ length: 4 }, (_, i) => plusDays(first, i)));
      for (const day of [...days, ...[...days].reverse()]) {
        for (const time of halfHours) expect(`${day} ${time} ${instantOf(day, time)}`).toBe(`${day} ${time} ${zonedInstant(day, time, tz)}`);
      }
    });

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
