import type { ReadOnlyEventStore } from '@leadership/event-store';
import type { ProgressListener } from '../scan/scan-progress';

/**
 * What a context plugs into `npm run audit -- replay --context <name>`: the as-of replay is about
 * a context's own aggregates (delegation: who held which mandate at T), so the shared CLI only
 * parses, opens the store and reports; the context's replayer folds and prints.
 */
export interface AuditReplayer {
  /** Extra string options the replayer takes besides `--at` and `--json`, with their help text (e.g. `{ unit: '<id>  only this unit' }`). */
  readonly options: Readonly<Record<string, string>>;
  /** One or two lines for the usage text: what replay answers for this context. */
  readonly description: string;
  replay(request: AuditReplayRequest): Promise<void>;
}

/** One `replay` invocation, validated by the CLI. */
export interface AuditReplayRequest {
  readonly store: ReadOnlyEventStore;
  /** The instant asked for: an ISO-8601 date-time with offset (checked by the CLI). */
  readonly at: string;
  /** `--json`: the full replayed state as JSON instead of the human report. */
  readonly json: boolean;
  /** Values of the replayer's own {@link AuditReplayer.options}; absent when not given. */
  readonly options: Readonly<Record<string, string | undefined>>;
  /** Progress of the scan (undefined with --quiet). */
  readonly onProgress: ProgressListener | undefined;
  /** Writes to stdout, honouring back-pressure. */
  readonly write: (chunk: string) => Promise<void>;
  /** Writes one warning line to stderr. */
  readonly warn: (message: string) => Promise<void>;
}

/** A replayer's answer to bad input (e.g. an unknown unit): the CLI prints it with the usage and exits 2. */
export class AuditUsageError extends Error {
  override readonly name = 'AuditUsageError';
}
