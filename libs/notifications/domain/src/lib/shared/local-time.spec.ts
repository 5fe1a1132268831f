import { addDays, isTimeZone, localDateTime, parseLocalTime, weekdayOf, zonedInstant } from './local-time';

const iso = (ms: number) => new Date(ms).toISOString();
const STOCKHOLM = 'Europe/Stockholm';

describe("a person's local time (over the kernel's zoned time; its DST cases are the kernel spec)", () => {
  it('reads the wall clock of an instant in a zone, on both sides of a DST change', () => {
    expect(localDateTime(Date.parse('2026-03-29T00:59:00Z'), STOCKHOLM)).toMatchObject({ hour: 1, minute: 59, weekday: 'sun' });
    expect(localDateTime(Date.parse('2026-03-29T01:00:00Z'), STOCKHOLM)).toMatchObject({ hour: 3, minute: 0 });
    expect(localDateTime(Date.parse('2026-10-25T00:30:00Z'), STOCKHOLM)).toMatchObject({ hour: 2, minute: 30 });
    expect(localDateTime(Date.parse('2026-10-25T01:30:00Z'), STOCKHOLM)).toMatchObject({ hour: 2, minute: 30 });
    expect(localDateTime(Date.parse('2026-10-03T15:45:12.345Z'), 'Australia/Lord_Howe')).toEqual({ year: 2026, month: 10, day: 4, hour: 2, minute: 45, weekday: 'sun', msIntoMinute: 12_345 });
  });

  it('turns a local time into the one instant it names: CET, CEST, a gap moves forward, an overlap takes the first', () => {
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 2 }, 7 * 60, STOCKHOLM))).toBe('2026-03-02T06:00:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 7, day: 1 }, 7 * 60, STOCKHOLM))).toBe('2026-07-01T05:00:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, STOCKHOLM))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, STOCKHOLM))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 3, day: 2 }, 8 * 60, 'Asia/Kolkata'))).toBe('2026-03-02T02:30:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 10, day: 4 }, 2 * 60 + 15, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:45:00.000Z');
    expect(iso(zonedInstant({ year: 2026, month: 11, day: 1 }, 90, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('knows zones, weekdays, dates and HH:MM', () => {
    expect([isTimeZone(STOCKHOLM), isTimeZone('UTC'), isTimeZone('Mars/Olympus'), isTimeZone(''), isTimeZone('+01:00')]).toEqual([true, true, false, false, false]);
    // Legacy names the runtime knows stay valid preferences (onboarding's plans take IANA Area/Location names only).
    expect([isTimeZone('EST5EDT'), isTimeZone('GMT+0')]).toEqual([true, true]);
    expect(weekdayOf({ year: 2026, month: 3, day: 2 })).toBe('mon');
    expect(addDays({ year: 2026, month: 2, day: 28 }, 1)).toEqual({ year: 2026, month: 3, day: 1 });
    expect([parseLocalTime('07:30'), parseLocalTime('23:59'), parseLocalTime('24:00'), parseLocalTime('7:30')]).toEqual([450, 1439, undefined, undefined]);
  });
});
