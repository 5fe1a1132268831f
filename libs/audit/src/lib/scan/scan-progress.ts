/** Where a long scan of $all stands; handed to `onProgress` callbacks. */
export interface ScanProgress {
  /** Events read from the store so far (all categories, including those the scan ignores). */
  readonly eventsRead: number;
  /** Position of the last event read; undefined before the first one. */
  readonly position: bigint | undefined;
  /** Head of $all when the scan began: the scan stops there, so it reads one consistent cut. */
  readonly headPosition: bigint | undefined;
  /** Average over the scan so far. */
  readonly eventsPerSecond: number;
  /** position / headPosition in percent (0–100); undefined for an empty store. */
  readonly percent: number | undefined;
  readonly elapsedMs: number;
  /** True on the last call, made once when the scan has finished. */
  readonly done: boolean;
}

export type ProgressListener = (progress: ScanProgress) => void;

/** Default pause between two progress calls, in ms: often enough to look alive, rarely enough to cost nothing. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;

/**
 * Throttles progress calls. The clock is read once per page, not per event, so a scan pays
 * nothing measurable for being observable.
 */
export class ProgressMeter {
  private readonly startedAt = performance.now();
  private lastReportAt = this.startedAt;
  private eventsRead = 0;
  private position: bigint | undefined;

  constructor(
    private readonly headPosition: bigint | undefined,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs: number = DEFAULT_PROGRESS_INTERVAL_MS,
  ) {}

  /** Records a page of `count` events ending at `position`; reports when the interval has passed. */
  advance(count: number, position: bigint | undefined): void {
    this.eventsRead += count;
    if (position !== undefined) this.position = position;
    if (this.listener === undefined) return;
    const now = performance.now();
    if (now - this.lastReportAt < this.intervalMs) return;
    this.lastReportAt = now;
    this.listener(this.snapshot(now, false));
  }

  /** Reports the final figures (always, whatever the interval) and returns them. */
  finish(): ScanProgress {
    const progress = this.snapshot(performance.now(), true);
    this.listener?.(progress);
    return progress;
  }

  private snapshot(now: number, done: boolean): ScanProgress {
    const elapsedMs = now - this.startedAt;
    return {
      eventsRead: this.eventsRead,
      position: this.position,
      headPosition: this.headPosition,
      eventsPerSecond: elapsedMs > 0 ? (this.eventsRead * 1000) / elapsedMs : 0,
      percent: percentOf(this.position, this.headPosition, done),
      elapsedMs,
      done,
    };
  }
}

function percentOf(position: bigint | undefined, head: bigint | undefined, done: boolean): number | undefined {
  if (head === undefined || head <= 0n) return undefined;
  if (done) return 100;
  if (position === undefined) return 0;
  // Scaled integer division first: positions may exceed 2^53 on EventStoreDB.
  return Number((position * 10_000n) / head) / 100;
}
