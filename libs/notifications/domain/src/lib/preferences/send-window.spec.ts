import { NIGHTS, STOCKHOLM } from '../../spec/notifications.fixtures';
import { defaultPreferences, type Preferences } from './preferences';
import { inQuietHours, nextSendWindow } from './send-window';

const weekdaysOnly: Preferences = { ...NIGHTS, quietHours: { from: '22:00', to: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } };
const lunch: Preferences = { ...NIGHTS, quietHours: { from: '12:00', to: '13:00', days: ['wed'] } };

describe('quiet hours and the next send window (Europe/Stockholm)', () => {
  it('sends at once outside quiet hours, and without any', () => {
    expect(nextSendWindow(NIGHTS, '2026-03-02T10:00:00.000Z')).toBe('2026-03-02T10:00:00.000Z');
    expect(nextSendWindow(defaultPreferences(STOCKHOLM), '2026-03-02T23:00:00.000Z')).toBe('2026-03-02T23:00:00.000Z');
  });

  it('waits for 07:00 local in an overnight window, before and after midnight', () => {
    // Monday 23:30 CET and Tuesday 05:00 CET both wait for Tuesday 07:00 CET = 06:00Z.
    expect(nextSendWindow(NIGHTS, '2026-03-02T22:30:00.000Z')).toBe('2026-03-03T06:00:00.000Z');
    expect(nextSendWindow(NIGHTS, '2026-03-03T04:00:00.000Z')).toBe('2026-03-03T06:00:00.000Z');
    expect(inQuietHours(NIGHTS, '2026-03-02T21:00:00.000Z')).toBe(true);
    expect(inQuietHours(NIGHTS, '2026-03-02T20:59:59.000Z')).toBe(false);
    expect(inQuietHours(NIGHTS, '2026-03-03T06:00:00.000Z')).toBe(false);
  });

  it('ends the night of the March change at 07:00 CEST (05:00Z): the night is an hour shorter', () => {
    // Saturday 28 March 23:00 CET → Sunday 29 March 07:00 CEST.
    expect(nextSendWindow(NIGHTS, '2026-03-28T22:00:00.000Z')).toBe('2026-03-29T05:00:00.000Z');
    expect(nextSendWindow(NIGHTS, '2026-03-29T01:30:00.000Z')).toBe('2026-03-29T05:00:00.000Z');
  });

  it('ends the night of the October change at 07:00 CET (06:00Z), also inside the repeated hour', () => {
    expect(nextSendWindow(NIGHTS, '2026-10-24T21:00:00.000Z')).toBe('2026-10-25T06:00:00.000Z');
    // 02:30 local happens twice (00:30Z CEST and 01:30Z CET); both are quiet.
    expect(nextSendWindow(NIGHTS, '2026-10-25T00:30:00.000Z')).toBe('2026-10-25T06:00:00.000Z');
    expect(nextSendWindow(NIGHTS, '2026-10-25T01:30:00.000Z')).toBe('2026-10-25T06:00:00.000Z');
  });

  it('applies a window only on its days: the day it starts', () => {
    // Friday 23:00 is quiet (Friday's window) until Saturday 07:00; Saturday 23:00 is not.
    expect(nextSendWindow(weekdaysOnly, '2026-03-06T22:00:00.000Z')).toBe('2026-03-07T06:00:00.000Z');
    expect(nextSendWindow(weekdaysOnly, '2026-03-07T22:00:00.000Z')).toBe('2026-03-07T22:00:00.000Z');
    // Sunday night is free, Monday 06:00 is free (Sunday has no window).
    expect(nextSendWindow(weekdaysOnly, '2026-03-09T05:00:00.000Z')).toBe('2026-03-09T05:00:00.000Z');
  });

  it('handles a same-day window', () => {
    expect(nextSendWindow(lunch, '2026-03-04T11:15:00.000Z')).toBe('2026-03-04T12:00:00.000Z');
    expect(nextSendWindow(lunch, '2026-03-05T11:15:00.000Z')).toBe('2026-03-05T11:15:00.000Z');
  });
});
