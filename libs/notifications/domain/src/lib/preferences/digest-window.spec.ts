import { STOCKHOLM } from '../../spec/notifications.fixtures';
import { digestWindow, nextDigestWindow } from './digest-window';

describe('digest windows', () => {
  it('hourly: the local hour, named by its first instant, closing at its end', () => {
    expect(digestWindow('hourly', STOCKHOLM, '2026-03-02T09:59:59.999Z')).toEqual({ cadence: 'hourly', key: 'hourly/2026-03-02T09:00:00.000Z', closesAt: '2026-03-02T10:00:00.000Z' });
    expect(digestWindow('hourly', STOCKHOLM, '2026-03-02T10:00:00.000Z').key).toBe('hourly/2026-03-02T10:00:00.000Z');
    // A +05:30 zone's hours start at :30 UTC.
    expect(digestWindow('hourly', 'Asia/Kolkata', '2026-03-02T10:00:00.000Z')).toMatchObject({ key: 'hourly/2026-03-02T09:30:00.000Z', closesAt: '2026-03-02T10:30:00.000Z' });
  });

  it('hourly: the repeated October hour is two windows, not one', () => {
    const first = digestWindow('hourly', STOCKHOLM, '2026-10-25T00:30:00.000Z');
    const second = digestWindow('hourly', STOCKHOLM, '2026-10-25T01:30:00.000Z');
    expect(first.key).not.toBe(second.key);
    expect(nextDigestWindow(first, STOCKHOLM)).toEqual(second);
  });

  it('daily: closes at the next 08:00 local, strictly after', () => {
    expect(digestWindow('daily', STOCKHOLM, '2026-03-02T06:59:00.000Z')).toEqual({ cadence: 'daily', key: 'daily/2026-03-02', closesAt: '2026-03-02T07:00:00.000Z' });
    expect(digestWindow('daily', STOCKHOLM, '2026-03-02T07:00:00.000Z')).toEqual({ cadence: 'daily', key: 'daily/2026-03-03', closesAt: '2026-03-03T07:00:00.000Z' });
  });

  it('daily: DST-correct over the March and October changes', () => {
    // Saturday 28 March 12:00 CET → Sunday 08:00 CEST = 06:00Z (a 23-hour window).
    expect(digestWindow('daily', STOCKHOLM, '2026-03-28T11:00:00.000Z')).toMatchObject({ key: 'daily/2026-03-29', closesAt: '2026-03-29T06:00:00.000Z' });
    // Saturday 24 October 12:00 CEST → Sunday 08:00 CET = 07:00Z (25 hours).
    expect(digestWindow('daily', STOCKHOLM, '2026-10-24T10:00:00.000Z')).toMatchObject({ key: 'daily/2026-10-25', closesAt: '2026-10-25T07:00:00.000Z' });
    expect(nextDigestWindow(digestWindow('daily', STOCKHOLM, '2026-10-24T10:00:00.000Z'), STOCKHOLM)).toMatchObject({ key: 'daily/2026-10-26', closesAt: '2026-10-26T07:00:00.000Z' });
  });
});
