/** Where the loop reports a failed pass. */
export interface PassLoopLogger {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Runs `pass` on a timer and on `nudge()`, never two at once: a nudge during a pass asks for one
 * more right after it. A failed pass is logged and the next one starts over from the store.
 * (The same loop drives case distribution's dispatcher; a third user should move it to a shared
 * library.)
 */
export class PassLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private lastError: string | undefined;
  private passes = 0;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger?: PassLoopLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
  }

  status(): { readonly running: boolean; readonly passes: number; readonly lastError: string | undefined } {
    return { running: !this.stopped, passes: this.passes, lastError: this.lastError };
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.again ? 0 : this.intervalMs);
    this.again = false;
  }

  private tick(): void {
    this.timer = undefined;
    this.passes++;
    this.running = this.pass()
      .then(
        () => {
          this.lastError = undefined;
        },
        (error: unknown) => {
          this.lastError = error instanceof Error ? error.message : String(error);
          this.logger?.error(`pass failed: ${this.lastError}`);
        },
      )
      .finally(() => {
        this.running = undefined;
        this.schedule();
      });
  }
}

/** Runs `task` for every item, at most `limit` at a time; waits for all, then rethrows the first failure. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}
