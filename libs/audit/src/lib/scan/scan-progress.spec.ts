import { ProgressMeter, type ScanProgress } from './scan-progress';

describe('ProgressMeter', () => {
  it('reports nothing before the interval has passed, and always once at the end', () => {
    const reports: ScanProgress[] = [];
    const meter = new ProgressMeter(200n, (progress) => reports.push(progress), 60_000);
    meter.advance(100, 100n);
    expect(reports).toEqual([]);
    const final = meter.finish();
    expect(reports).toEqual([final]);
    expect(final).toMatchObject({ eventsRead: 100, position: 100n, headPosition: 200n, percent: 100, done: true });
  });

  it('reports the share of the head position reached', () => {
    const reports: ScanProgress[] = [];
    const meter = new ProgressMeter(400n, (progress) => reports.push(progress), 0);
    meter.advance(100, 100n);
    expect(reports[0]).toMatchObject({ eventsRead: 100, percent: 25, done: false });
  });

  it('has no percentage for an empty store', () => {
    expect(new ProgressMeter(undefined, undefined).finish().percent).toBeUndefined();
  });
});
