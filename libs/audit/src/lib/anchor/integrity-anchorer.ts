import type { ReadOnlyEventStore } from '@leadership/event-store';
import { readIntegrity } from '../integrity/event-hash';
import { appendAnchorLine, readLastAnchor } from './anchor-log';
import type { AnchorSigningKey } from './anchor-key';
import { anchorDigest, signAnchor, type AnchoredHead, type SignedAnchor } from './signed-anchor';

/** What the anchorer logs (the runtime's component logger fits). */
export interface AnchorerLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Options of {@link IntegrityAnchorer}. */
export interface IntegrityAnchorerOptions {
  readonly logFile: string;
  readonly key: AnchorSigningKey;
  /** Pause between anchors, in ms; an anchor is written only when $all moved. */
  readonly intervalMs: number;
  /** Events read per page while catching up. Default 2,000. */
  readonly pageSize?: number;
  readonly clock?: () => Date;
  readonly logger?: AnchorerLogger;
}

const DEFAULT_PAGE_SIZE = 2_000;

/**
 * Takes signed anchors automatically: at start, every `intervalMs` while $all moves, and once
 * more at stop, each covering the events since the previous anchor of the log (README.md,
 * "Anchors"). One anchorer per log: two processes appending to one log would fork its chain,
 * which verify reports.
 *
 * A failed anchor (disk full, store unreachable) is logged and retried at the next tick; it never
 * stops the service, and nothing is lost: the next anchor covers everything since the last one
 * that was written.
 */
export class IntegrityAnchorer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SignedAnchor | undefined> | undefined;
  private stopped = true;
  private readonly clock: () => Date;

  constructor(
    private readonly store: ReadOnlyEventStore,
    private readonly options: IntegrityAnchorerOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Starts the periodic anchoring; the first anchor is taken right away but not awaited (on a
   * large store without anchors it reads all of $all once, which must not hold up the start).
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.tick();
  }

  /** Stops the timer, waits for an anchor in progress, and takes a last one (the state at shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.anchorNow().catch((error: unknown) => this.options.logger?.error('final anchor failed', { error: String(error) }));
  }

  /**
   * Takes an anchor now if $all moved since the last one (or the log is empty), and resolves to
   * it; undefined when nothing changed. Calls are serialised: an anchor continues the one before.
   */
  anchorNow(): Promise<SignedAnchor | undefined> {
    const previous = this.running ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.takeAnchor());
    this.running = next;
    void next.finally(() => {
      if (this.running === next) this.running = undefined;
    }).catch(() => undefined);
    return next;
  }

  private tick(): void {
    if (this.stopped) return;
    this.anchorNow()
      .catch((error: unknown) => this.options.logger?.error('anchor failed; retried at the next interval', { error: String(error) }))
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
      });
  }

  private async takeAnchor(): Promise<SignedAnchor | undefined> {
    const last = readLastAnchor(this.options.logFile);
    const from = last?.headPosition == null ? undefined : BigInt(last.headPosition);
    const head = await this.store.headPosition();
    if (last !== undefined && (head === undefined || (from !== undefined && head <= from))) return undefined;
    // Incremental: the heads that moved in (from, head]. Read up to the head taken above, so a
    // busy store cannot keep the anchor chasing the writers.
    const streams = Object.create(null) as Record<string, AnchoredHead>;
    let after = from;
    let covered = from;
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    while (head !== undefined && (after === undefined || after < head)) {
      const page = await this.store.readAll({ ...(after !== undefined ? { after } : {}), maxCount: pageSize });
      if (page.length === 0) break;
      for (const event of page) {
        if (event.position > head) break;
        streams[event.streamName] = { revision: event.revision, hash: readIntegrity(event.metadata)?.hash ?? null };
        covered = event.position;
      }
      after = page[page.length - 1]?.position;
    }
    const anchor = signAnchor(
      {
        version: 2,
        sequence: last === undefined ? 0 : last.sequence + 1,
        previous: last === undefined ? null : anchorDigest(last),
        createdAt: this.clock().toISOString(),
        fromPosition: last?.headPosition ?? null,
        headPosition: covered === undefined ? null : covered.toString(),
        streams,
      },
      this.options.key,
    );
    appendAnchorLine(this.options.logFile, anchor);
    return anchor;
  }
}
