/** Where the lifecycle logs (the service's JsonLogger fits). */
export interface LifecycleLogger {
  log(message: Record<string, unknown>, context?: string): void;
  error(message: Record<string, unknown>, context?: string): void;
}

/** A second signal sooner than this after the first is the same stop request (see handleSignals). */
const SAME_STOP_MS = 2_000;

/** What signals arrive on and how the process ends (the real `process` by default; tests pass their own). */
export interface ProcessLike {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
}

interface Step {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * The one shutdown path of a service. Steps run strictly in the order they were registered,
 * each awaited (with a time limit) before the next: register the HTTP server first (no new
 * requests), then the workers that drain (relay, consumers, projector, scheduler), then the
 * stores and connections they use. A failing or hanging step is logged and the sequence goes
 * on, so the stores are still closed. Exactly one signal handler per signal: Nest's own
 * shutdown hooks must not be enabled beside it (two handlers raced and the process died
 * mid-drain). A second signal while draining exits at once with code 1.
 */
export class ServiceLifecycle {
  private readonly steps: Step[] = [];
  private shuttingDown: Promise<boolean> | undefined;

  constructor(
    private readonly logger: LifecycleLogger,
    private readonly stepTimeoutMs = 15_000,
  ) {}

  /** Adds a shutdown step (see the class comment for the order). Returns this for chaining. */
  onShutdown(name: string, run: () => Promise<void> | void): this {
    this.steps.push({ name, run: async () => run() });
    return this;
  }

  /** Runs every step once, in order; resolves true when all succeeded. Later calls share the first run. */
  shutdown(reason: string): Promise<boolean> {
    this.shuttingDown ??= this.runSteps(reason);
    return this.shuttingDown;
  }

  /**
   * Shuts down on SIGINT/SIGTERM and exits 0 (1 if a step failed, or on a second signal). A
   * second signal within SAME_STOP_MS of the first is the same request arriving twice — Ctrl-C
   * reaches every process of the terminal's group, and `npm start` also forwards a SIGTERM — so
   * it is ignored; a later one (someone insisting) exits at once.
   */
  handleSignals(target: ProcessLike = process, clock: () => number = Date.now): void {
    let firstAt = 0;
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
      if (this.shuttingDown) {
        // Listen again either way: the next one must reach us, not Node's default handler.
        target.once(signal, onSignal(signal));
        if (clock() - firstAt < SAME_STOP_MS) {
          this.logger.log({ msg: 'signal repeated while stopping: still draining', signal }, 'lifecycle');
          return;
        }
        this.logger.error({ msg: 'second signal while stopping: exiting now', signal }, 'lifecycle');
        target.exit(1);
        return;
      }
      firstAt = clock();
      void this.shutdown(signal).then((ok) => target.exit(ok ? 0 : 1));
      // Listen again, so the second signal reaches us instead of Node's default handler.
      target.once(signal, onSignal(signal));
    };
    target.once('SIGINT', onSignal('SIGINT'));
    target.once('SIGTERM', onSignal('SIGTERM'));
  }

  private async runSteps(reason: string): Promise<boolean> {
    this.logger.log({ msg: 'stopping', reason, steps: this.steps.map((s) => s.name) }, 'lifecycle');
    let ok = true;
    for (const step of this.steps) {
      const started = Date.now();
      try {
        await withTimeout(step.run(), this.stepTimeoutMs, step.name);
        this.logger.log({ msg: 'stopped', step: step.name, ms: Date.now() - started }, 'lifecycle');
      } catch (error) {
        ok = false;
        this.logger.error({ msg: 'shutdown step failed', step: step.name, error: error instanceof Error ? error.message : String(error) }, 'lifecycle');
      }
    }
    return ok;
  }
}

function withTimeout(work: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not stop within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
