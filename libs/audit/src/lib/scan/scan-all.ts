import type { AllFilter, ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { ProgressMeter, type ProgressListener, type ScanProgress } from './scan-progress';

/** Options shared by every full scan of $all (replay, export, verify). */
export interface ScanOptions {
  /**
   * Events per readAll call. Default 2,000: large enough that the per-query cost vanishes, small
   * enough that a page (parsed events) stays a few MB.
   */
  readonly pageSize?: number;
  /** Called at most every `progressIntervalMs`, and once at the end with `done: true`. */
  readonly onProgress?: ProgressListener;
  readonly progressIntervalMs?: number;
}

export const DEFAULT_PAGE_SIZE = 2_000;

/**
 * Pages through $all from the beginning up to the head position taken when the scan starts, so
 * that events appended meanwhile do not make the scan chase the writers. Each page is handed to
 * `onPage` before the next is read: memory stays bounded by one page plus what the caller keeps.
 */
export async function scanAll(
  store: ReadOnlyEventStore,
  options: ScanOptions & { readonly filter?: AllFilter },
  onPage: (events: readonly RecordedEvent[]) => void | Promise<void>,
): Promise<ScanProgress> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const head = await store.headPosition();
  const meter = new ProgressMeter(head, options.onProgress, options.progressIntervalMs);
  let after: bigint | undefined;
  while (head !== undefined) {
    const page = await store.readAll({ after, maxCount: pageSize, ...(options.filter ? { filter: options.filter } : {}) });
    const last = page[page.length - 1];
    if (last === undefined) break;
    const pastHead = last.position > head;
    const events = pastHead ? page.filter((event) => event.position <= head) : page;
    if (events.length > 0) await onPage(events);
    meter.advance(events.length, events[events.length - 1]?.position);
    if (pastHead || page.length < pageSize) break;
    after = last.position;
  }
  return meter.finish();
}
