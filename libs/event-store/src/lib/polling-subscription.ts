import type { RecordedEvent, SubscribeToAllOptions, Subscription } from './event-store.port';

/** Reads the next page of $all strictly after `after` (undefined: from the start). */
export type PageReader = (after: bigint | undefined, maxCount: number) => RecordedEvent[] | Promise<RecordedEvent[]>;

/** Tuning of {@link startPollingSubscription}. */
export interface PollingSubscriptionSettings {
  /** Events read per query while catching up. */
  readonly pageSize: number;
  /** Pause between polls once caught up: the delay with which other processes' events arrive. */
  readonly pollIntervalMs: number;
}

/** A subscription driven by polling, plus a way to end its wait early when new events are known. */
export interface PollingSubscription extends Subscription {
  /** Ends the current poll wait (called after an append in this process). */
  wake(): void;
}

/*
 * A catch-up subscription over any store that can read $all in pages by position: read pages
 * after the checkpoint until one comes back short, then poll. Positions are only ever compared
 * with `>`, so a checkpoint is exclusive and a resubscription neither repeats nor skips an event —
 * provided the store makes an event visible only after every event with a smaller position is
 * (SQLite does: positions are allocated under the single write lock and committed in that order).
 */
export function startPollingSubscription(
  readPage: PageReader,
  options: SubscribeToAllOptions,
  settings: PollingSubscriptionSettings,
): PollingSubscription {
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;

  const sleep = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopped) {
        pendingWake = false;
        resolve();
        return;
      }
      const timer = setTimeout(finish, settings.pollIntervalMs);
      function finish(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = finish;
    });

  const wake = (): void => {
    if (wakeUp) wakeUp();
    else pendingWake = true;
  };

  const run = async (): Promise<void> => {
    let checkpoint = options.after;
    let caughtUp = false;
    while (!stopped) {
      // An append seen from here on is caught by this read; one that woke us earlier is in it too.
      pendingWake = false;
      const page = await readPage(checkpoint, settings.pageSize);
      for (const event of page) {
        if (stopped) return;
        await options.onEvent(event);
        checkpoint = event.position;
      }
      if (page.length < settings.pageSize) {
        if (!caughtUp && !stopped) {
          caughtUp = true;
          options.onCaughtUp?.();
        }
        await sleep();
      }
    }
  };

  const done = run().then(
    () => undefined,
    (error: unknown) => {
      stopped = true;
      reportSubscriptionError(options, error);
    },
  );

  return {
    done,
    wake,
    async stop(): Promise<void> {
      stopped = true;
      wakeUp?.();
      await done;
    },
  };
}

/** Hands an error that ended a subscription to onError, or warns when nobody listens. */
export function reportSubscriptionError(options: Pick<SubscribeToAllOptions, 'onError'>, error: unknown): void {
  const asError = error instanceof Error ? error : new Error(String(error));
  if (options.onError) options.onError(asError);
  // A silent end would leave a projection quietly stale: say so even without a handler.
  else process.emitWarning(`event store subscription stopped: ${asError.message}`, 'EventStoreSubscriptionWarning');
}
