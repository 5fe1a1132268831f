import { isKnownTimeZone, wallClockAt, zonedEpoch, zonedEpochs, type WallClock } from './zoned-time';

/** `YYYY-MM-DD` and `HH:MM` as the wall-clock number the conversions take. */
const wall = (date: string, time: string): number => Date.parse(`${date}T${time}:00Z`);
const iso = (epochMillis: number): string => new Date(epochMillis).toISOString();
const at = (instant: string): number => Date.parse(instant);
const two = (n: number): string => String(n).padStart(2, '0');
/** What the wall clock shows, as `YYYY-MM-DD HH:MM`. */
const shows = (clock: WallClock): string => `${clock.year}-${two(clock.month)}-${two(clock.day)} ${two(clock.hour)}:${two(clock.minute)}`;

const MINUTE_MS = 60_000;
const halfHours = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}`);

describe('zoned time (wall clock in an IANA zone ↔ instant, Intl only)', () => {
  it('knows the zones the runtime knows, and nothing else', () => {
    expect(['Europe/Stockholm', 'UTC', 'Australia/Lord_Howe', 'EST5EDT'].map(isKnownTimeZone)).toEqual([true, true, true, true]);
    expect(['', ' ', '+01:00', 'Mars/Olympus', 'UTC '].map(isKnownTimeZone)).toEqual([false, false, false, false, false]);
  });

  it('refuses UTC offsets written as zones on every runtime (Node 24 takes them, Node 20 does not), and keeps Etc/GMT names', () => {
    expect(['+01:00', '-05:00', '+0100', '+01', '-00:00', '+14:00'].map(isKnownTimeZone)).toEqual([false, false, false, false, false, false]);
    expect(['Etc/GMT-1', 'Etc/GMT+5', 'GMT+0'].map(isKnownTimeZone)).toEqual([true, true, true]);
  });

  /*
   * Each zone's two changes of 2026: the minute before, a time inside the gap or overlap, and the
   * change's own edges. A gap moves forward by its length (Temporal's `compatible`); an overlap
   * takes the earlier instant.
   */
  describe.each([
    {
      zone: 'Europe/Stockholm',
      note: '+1 → +2 at 02:00 on 29 March, back at 03:00 on 25 October',
      gap: [
        ['2026-03-29', '01:59', '2026-03-29T00:59:00.000Z', '2026-03-29 01:59'],
        ['2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00'],
        ['2026-03-29', '02:30', '2026-03-29T01:30:00.000Z', '2026-03-29 03:30'],
        ['2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00'],
      ],
      overlap: [
        ['2026-10-25', '01:59', '2026-10-24T23:59:00.000Z'],
        ['2026-10-25', '02:00', '2026-10-25T00:00:00.000Z'],
        ['2026-10-25', '02:30', '2026-10-25T00:30:00.000Z'],
        ['2026-10-25', '03:00', '2026-10-25T02:00:00.000Z'],
      ],
      secondOccurrence: '2026-10-25T01:30:00.000Z',
    },
    {
      zone: 'America/New_York',
      note: '−5 → −4 at 02:00 on 8 March, back at 02:00 on 1 November',
      gap: [
        ['2026-03-08', '01:59', '2026-03-08T06:59:00.000Z', '2026-03-08 01:59'],
        ['2026-03-08', '02:00', '2026-03-08T07:00:00.000Z', '2026-03-08 03:00'],
        ['2026-03-08', '02:30', '2026-03-08T07:30:00.000Z', '2026-03-08 03:30'],
        ['2026-03-08', '03:00', '2026-03-08T07:00:00.000Z', '2026-03-08 03:00'],
      ],
      overlap: [
        ['2026-11-01', '00:59', '2026-11-01T04:59:00.000Z'],
        ['2026-11-01', '01:00', '2026-11-01T05:00:00.000Z'],
        ['2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
        ['2026-11-01', '02:00', '2026-11-01T07:00:00.000Z'],
      ],
      secondOccurrence: '2026-11-01T06:30:00.000Z',
    },
    {
      zone: 'Australia/Lord_Howe',
      note: 'a 30-minute shift: +10:30 → +11 at 02:00 on 4 October, back at 02:00 on 5 April',
      gap: [
        ['2026-10-04', '01:59', '2026-10-03T15:29:00.000Z', '2026-10-04 01:59'],
        ['2026-10-04', '02:00', '2026-10-03T15:30:00.000Z', '2026-10-04 02:30'],
        ['2026-10-04', '02:15', '2026-10-03T15:45:00.000Z', '2026-10-04 02:45'],
        ['2026-10-04', '02:30', '2026-10-03T15:30:00.000Z', '2026-10-04 02:30'],
      ],
      overlap: [
        ['2026-04-05', '01:29', '2026-04-04T14:29:00.000Z'],
        ['2026-04-05', '01:30', '2026-04-04T14:30:00.000Z'],
        ['2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
        ['2026-04-05', '02:00', '2026-04-04T15:30:00.000Z'],
      ],
      secondOccurrence: '2026-04-04T15:15:00.000Z',
    },
  ])('$zone ($note)', ({ zone, gap, overlap, secondOccurrence }) => {
    it.each(gap)('spring forward, %s %s → %s, which shows %s (a time in the gap moves forward by its length)', (date, time, instant, shown) => {
      expect(iso(zonedEpoch(wall(date, time), zone))).toBe(instant);
      expect(shows(wallClockAt(at(instant), zone))).toBe(shown);
    });

    it.each(overlap)('fall back, %s %s → %s (a time that occurs twice is its first occurrence)', (date, time, instant) => {
      expect(iso(zonedEpoch(wall(date, time), zone))).toBe(instant);
      expect(shows(wallClockAt(at(instant), zone))).toBe(`${date} ${time}`);
    });

    it('reads the second occurrence of the repeated time back as the same wall clock, and converts it to the first', () => {
      const [date, time, first] = overlap[2] as [string, string, string];
      expect(wallClockAt(at(secondOccurrence), zone)).toEqual(wallClockAt(at(first), zone));
      expect(shows(wallClockAt(at(secondOccurrence), zone))).toBe(`${date} ${time}`);
      expect(iso(zonedEpoch(wallClockMillis(wallClockAt(at(secondOccurrence), zone)), zone))).toBe(first);
    });
  });

  it('Asia/Kolkata (+05:30, no DST): every time is one instant, on the other zones’ change days too', () => {
    for (const date of ['2026-01-01', '2026-03-08', '2026-03-29', '2026-10-04', '2026-10-25', '2026-11-01']) {
      for (const time of halfHours) expect(iso(zonedEpoch(wall(date, time), 'Asia/Kolkata'))).toBe(iso(wall(date, time) - 330 * MINUTE_MS));
    }
    expect(iso(zonedEpoch(wall('2026-01-01', '00:00'), 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
    expect(shows(wallClockAt(at('2026-03-02T02:30:00Z'), 'Asia/Kolkata'))).toBe('2026-03-02 08:00');
  });

  it('UTC is the wall clock itself', () => {
    expect(iso(zonedEpoch(wall('2026-03-29', '02:30'), 'UTC'))).toBe('2026-03-29T02:30:00.000Z');
    expect(shows(wallClockAt(at('2026-10-25T02:30:59.999Z'), 'UTC'))).toBe('2026-10-25 02:30');
  });

  it('reads the wall clock on both sides of a change and at the local midnight', () => {
    expect(shows(wallClockAt(at('2026-03-29T00:59:00Z'), 'Europe/Stockholm'))).toBe('2026-03-29 01:59');
    expect(shows(wallClockAt(at('2026-03-29T01:00:00Z'), 'Europe/Stockholm'))).toBe('2026-03-29 03:00');
    expect(shows(wallClockAt(at('2026-10-25T22:59:59Z'), 'Europe/Stockholm'))).toBe('2026-10-25 23:59');
    expect(shows(wallClockAt(at('2026-10-25T23:00:00Z'), 'Europe/Stockholm'))).toBe('2026-10-26 00:00');
    expect(shows(wallClockAt(at('2026-01-15T08:00:00Z'), 'America/New_York'))).toBe('2026-01-15 03:00');
  });

  it('reads years beyond four digits too (the fixed-position reading falls back)', () => {
    expect(wallClockAt(Date.UTC(12000, 0, 1, 12), 'Europe/Stockholm')).toEqual({ year: 12000, month: 1, day: 1, hour: 13, minute: 0 });
    expect(zonedEpoch(Date.UTC(12000, 0, 1, 13), 'Europe/Stockholm')).toBe(Date.UTC(12000, 0, 1, 12));
  });

  it.each(['Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'round trip in %s, every 15 minutes around both changes: an instant is the conversion of its wall clock, but for the second pass of a repeated hour',
    (zone) => {
      for (const from of ['2026-03-07T00:00:00Z', '2026-03-28T00:00:00Z', '2026-04-04T00:00:00Z', '2026-10-03T00:00:00Z', '2026-10-24T00:00:00Z', '2026-10-31T00:00:00Z']) {
        for (let instant = at(from); instant < at(from) + 2 * 86_400_000; instant += 15 * MINUTE_MS) {
          const back = zonedEpoch(wallClockMillis(wallClockAt(instant, zone)), zone);
          // The first occurrence is earlier and shows the same wall clock; nothing else may differ.
          if (back !== instant) expect([back < instant, wallClockAt(back, zone)]).toEqual([true, wallClockAt(instant, zone)]);
        }
      }
    },
  );

  describe('zonedEpochs (one zone, offsets remembered for a batch: a plan schedules its steps with it)', () => {
    it.each(['Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])('answers as zonedEpoch every half hour around both changes of 2026 in %s', (zone) => {
      const epochOf = zonedEpochs(zone);
      // Days around the changes of both hemispheres, visited forwards then backwards: later answers come from remembered offsets.
      const days = ['2026-03-06', '2026-03-28', '2026-04-04', '2026-10-03', '2026-10-24', '2026-10-31'].flatMap((first) =>
        Array.from({ length: 4 }, (_, i) => iso(at(`${first}T00:00:00Z`) + i * 86_400_000).slice(0, 10)),
      );
      for (const day of [...days, ...[...days].reverse()]) {
        for (const time of halfHours) expect(`${day} ${time} ${iso(epochOf(wall(day, time)))}`).toBe(`${day} ${time} ${iso(zonedEpoch(wall(day, time), zone))}`);
      }
    });

    it('resolves the gap and the overlap as zonedEpoch does, from remembered offsets too', () => {
      const epochOf = zonedEpochs('Europe/Stockholm');
      const asked = [
        ['2026-03-29', '09:00'],
        ['2026-03-29', '02:30'],
        ['2026-10-25', '09:00'],
        ['2026-10-25', '02:30'],
        ['2026-10-26', '00:00'],
        ['2026-03-29', '02:30'],
      ] as const;
      expect(asked.map(([date, time]) => iso(epochOf(wall(date, time))))).toEqual([
        '2026-03-29T07:00:00.000Z',
        '2026-03-29T01:30:00.000Z',
        '2026-10-25T08:00:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T23:00:00.000Z',
        '2026-03-29T01:30:00.000Z',
      ]);
    });
  });
});

/** A wall clock as the number the conversions take. */
function wallClockMillis(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
}
