import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isIsoInstant, scopeKey, type LeadershipMap } from '@leadership/delegation-domain';
import { assertNever } from '@leadership/kernel';
import type { ReadOnlyEventStore } from '@leadership/event-store';
import { exportEvents, type ExportFormat } from '../export/export-events';
import { createIntegrityAnchor, verifyIntegrity, type IntegrityAnchor, type IntegrityProblem } from '../integrity/verify-integrity';
import { leadershipAsOf } from '../replay/leadership-as-of';
import { replayStateAt, type ReplayedState } from '../replay/replay-state-at';
import type { ProgressListener, ScanProgress } from '../shared/scan-progress';
import { AuditStoreNotFoundError, describeAuditStore, locateAuditStore, openAuditStore } from './audit-store';

/** Where the CLI reads and writes; the entry point passes the process's, specs their own. */
export interface AuditCliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory the user ran the command in (relative --store, --out and --anchor paths). */
  readonly cwd: string;
  readonly workspaceRoot: string;
}

/** Exit codes: 0 done, 1 integrity problems found, 2 bad usage or no store. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export const AUDIT_USAGE = `Compliance CLI of the delegation context (reads the event store, never writes it).

  npm run audit -- replay --at <ISO time> [--unit <id>] [--json]
      Who held which leadership task in each unit at that instant (domain time), replayed
      from the event history. --json prints the full replayed state instead.
  npm run audit -- export --format ndjson|csv [--from <ISO>] [--to <ISO>] [--out <file>]
      Every event recorded in [from, to) with stream, revision, position, type, times, ids,
      integrity hashes and data. Default output: stdout.
  npm run audit -- verify [--anchor <file>] [--json]
      Checks every stream's hash chain (and an earlier anchor, if given). Exit code 1 when
      problems are found.
  npm run audit -- anchor --out <file>
      Writes the head hash of every stream to <file>; keep it outside the store and pass it
      to verify later.

Common options:
  --store <file>   SQLite store file. Default: $EVENTSTORE_CONNECTION_STRING (EventStoreDB)
                   if set, else $DELEGATION_EVENT_STORE, else .local/data/delegation/events.sqlite
  --quiet          no progress on stderr
`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const COMMON_OPTIONS = {
  store: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMAND_OPTIONS = {
  replay: { ...COMMON_OPTIONS, at: { type: 'string' }, unit: { type: 'string' }, json: { type: 'boolean' } },
  export: { ...COMMON_OPTIONS, format: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
  verify: { ...COMMON_OPTIONS, anchor: { type: 'string' }, json: { type: 'boolean' } },
  anchor: { ...COMMON_OPTIONS, out: { type: 'string' } },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

function isCommand(value: string | undefined): value is Command {
  return value !== undefined && Object.hasOwn(COMMAND_OPTIONS, value);
}

/** Runs one CLI invocation; resolves to the exit code (it never calls process.exit). */
export async function runAuditCli(args: readonly string[], io: AuditCliIo): Promise<number> {
  const [command, ...rest] = args.filter((arg, index) => !(index === 0 && arg === '--'));
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    await write(io.stdout, AUDIT_USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!isCommand(command)) return usageError(io, `unknown command "${command}"`);
  let store: ReadOnlyEventStore | undefined;
  try {
    const { values } = parseArgs({ args: rest, options: COMMAND_OPTIONS[command], strict: true, allowPositionals: false });
    if (values.help) {
      await write(io.stdout, AUDIT_USAGE);
      return EXIT_OK;
    }
    const location = locateAuditStore(values.store, io.env, io);
    store = openAuditStore(location);
    const progress = values.quiet ? undefined : progressPrinter(io.stderr, command);
    await write(io.stderr, `${command}: reading ${describeAuditStore(location)}\n`);
    switch (command) {
      case 'replay':
        return await replay(store, io, progress, values as ReplayValues);
      case 'export':
        return await exportCommand(store, io, progress, values as ExportValues);
      case 'verify':
        return await verify(store, io, progress, values as VerifyValues);
      case 'anchor':
        return await anchor(store, io, progress, values as AnchorValues);
      default:
        return assertNever(command);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) return usageError(io, (error as Error).message);
    if (error instanceof AuditStoreNotFoundError) {
      await write(io.stderr, `audit ${command}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

interface ReplayValues {
  readonly at?: string;
  readonly unit?: string;
  readonly json?: boolean;
}

async function replay(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: ReplayValues): Promise<number> {
  if (values.at === undefined) throw new UsageError('replay needs --at <ISO time>, e.g. --at 2025-03-01T00:00:00Z');
  if (!isIsoInstant(values.at)) throw new UsageError(`--at must be an ISO-8601 date-time with offset (e.g. 2025-03-01T00:00:00Z), got "${values.at}"`);
  const state = await replayStateAt(store, values.at, { ...(values.unit !== undefined ? { unitId: values.unit } : {}), ...(onProgress ? { onProgress } : {}) });
  const leadership = leadershipAsOf(state, values.unit !== undefined ? { unitId: values.unit } : {});
  if (values.json) await writeStateJson(io.stdout, state, leadership);
  else await write(io.stdout, leadershipText(state, leadership));
  const { skippedUnknownType, skippedWithoutTime } = state.stats;
  if (skippedUnknownType + skippedWithoutTime > 0) {
    await write(
      io.stderr,
      `replay: warning: skipped ${skippedUnknownType} event(s) of unknown type and ${skippedWithoutTime} without a valid data.at; ` +
        'the state may be incomplete (is this CLI older than the service that wrote them?)\n',
    );
  }
  return EXIT_OK;
}

interface ExportValues {
  readonly format?: string;
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

async function exportCommand(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: ExportValues): Promise<number> {
  if (values.format !== 'ndjson' && values.format !== 'csv') throw new UsageError('export needs --format ndjson or --format csv');
  const format: ExportFormat = values.format;
  for (const [name, value] of [['from', values.from], ['to', values.to]] as const) {
    if (value !== undefined && !isIsoInstant(value)) throw new UsageError(`--${name} must be an ISO-8601 date-time with offset, got "${value}"`);
  }
  const out = values.out === undefined ? io.stdout : createWriteStream(resolve(io.cwd, values.out), { flags: 'w' });
  try {
    const summary = await exportEvents(store, {
      format,
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(onProgress ? { onProgress } : {}),
      write: (chunk) => write(out, chunk),
    });
    await write(io.stderr, `export: ${summary.eventsExported} of ${summary.eventsRead} events written${values.out ? ` to ${values.out}` : ''}\n`);
  } finally {
    if (out !== io.stdout) await closeStream(out);
  }
  return EXIT_OK;
}

interface VerifyValues {
  readonly anchor?: string;
  readonly json?: boolean;
}

async function verify(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: VerifyValues): Promise<number> {
  const anchor = values.anchor === undefined ? undefined : readAnchor(resolve(io.cwd, values.anchor));
  const report = await verifyIntegrity(store, { ...(anchor ? { anchor } : {}), ...(onProgress ? { onProgress } : {}) });
  if (values.json) {
    await write(io.stdout, `${JSON.stringify({ ...report, headPosition: report.headPosition?.toString() ?? null }, null, 2)}\n`);
  } else {
    for (const problem of report.problems) await write(io.stdout, `${problemLine(problem)}\n`);
    const verdict = report.problems.length === 0 ? 'OK: every chain is intact' : `FAILED: ${report.problems.length} problem(s)`;
    await write(io.stdout, `verify: ${verdict} (${report.eventsChecked} events in ${report.streamsChecked} streams${anchor ? ', anchor checked' : ''})\n`);
  }
  return report.problems.length === 0 ? EXIT_OK : EXIT_PROBLEMS;
}

function problemLine(problem: IntegrityProblem): string {
  return `${problem.kind}: ${problem.streamName} revision ${problem.revision} event ${problem.eventId || '(missing)'} expected ${problem.expected ?? 'null'} actual ${problem.actual ?? 'null'}`;
}

interface AnchorValues {
  readonly out?: string;
}

async function anchor(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: AnchorValues): Promise<number> {
  if (values.out === undefined) throw new UsageError('anchor needs --out <file> (keep it outside the store)');
  const taken = await createIntegrityAnchor(store, onProgress ? { onProgress } : {});
  const file = resolve(io.cwd, values.out);
  writeFileSync(file, `${JSON.stringify(taken, null, 2)}\n`);
  await write(io.stderr, `anchor: ${Object.keys(taken.streams).length} stream heads up to position ${taken.headPosition ?? '(empty store)'} written to ${file}\n`);
  return EXIT_OK;
}

function readAnchor(file: string): IntegrityAnchor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read anchor ${file}: ${(error as Error).message}`);
  }
  const candidate = parsed as Partial<IntegrityAnchor> | null;
  const streams = candidate?.streams;
  const wellFormed =
    candidate?.version === 1 &&
    typeof streams === 'object' &&
    streams !== null &&
    Object.values(streams).every((head) => Number.isSafeInteger(head?.revision) && (head.hash === null || typeof head.hash === 'string'));
  if (!wellFormed) throw new UsageError(`${file} is not an integrity anchor written by "npm run audit -- anchor"`);
  return candidate as IntegrityAnchor;
}

// ---------------------------------------------------------------------------------------------
// Output.

function leadershipText(state: ReplayedState, maps: readonly LeadershipMap[]): string {
  const { stats } = state;
  const lines = [
    `Leadership as of ${state.at} (domain time), replayed from ${stats.eventsRead} events up to position ${stats.position ?? '-'}`,
    `${state.mandates.size} mandates, ${state.units.size} units, ${state.people.size} people, ${state.taskTypes.size} task types defined or changed by admins by then (the built-in defaults apply besides)`,
  ];
  for (const map of maps) {
    const unit = state.units.get(map.unitId);
    lines.push('', `unit ${map.unitId}${unit ? ` "${unit.name}"` : ' (not in the directory at that time)'}`);
    lines.push(`  formal managers: ${map.formalManagerIds.length > 0 ? map.formalManagerIds.join(', ') : '(none)'}`);
    const width = Math.max(...map.holders.map((entry) => entry.taskType.length), 0);
    for (const { taskType, holders } of map.holders) {
      if (holders.length === 0) {
        lines.push(`  ${taskType.padEnd(width)}  (no holder: the formal manager)`);
        continue;
      }
      holders.forEach((holder, index) => {
        const label = index === 0 ? taskType.padEnd(width) : ''.padEnd(width);
        const deputy = holder.deputyId ? `, deputy ${holder.deputyId}` : '';
        lines.push(
          `  ${label}  ${holder.delegateId} on mandate ${holder.mandateId} v${holder.mandateVersion} from ${holder.delegatorId}` +
            ` [${scopeKey(holder.scope)}] ${holder.authorities.join(', ')} until ${holder.until}${deputy}`,
        );
      });
    }
    for (const overlap of map.overlaps) lines.push(`  CONFLICT: exclusive ${overlap.taskType} in ${overlap.scope} held by ${overlap.mandateIds.join(', ')}`);
    for (const flagged of map.awaitingReconfirmation) lines.push(`  awaiting reconfirmation: ${flagged.mandateId} (${flagged.reason} since ${flagged.flaggedAt})`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The full state as one JSON document, written mandate by mandate: a store with a million events
 * has ~100k mandates, too many to build as one string first.
 */
async function writeStateJson(out: NodeJS.WritableStream, state: ReplayedState, leadership: readonly LeadershipMap[]): Promise<void> {
  const stats = { ...state.stats, position: state.stats.position?.toString() ?? null };
  await write(out, `{"at":${JSON.stringify(state.at)},"stats":${JSON.stringify(stats)},\n`);
  const sections: readonly [string, Iterable<unknown>][] = [
    ['units', state.units.values()],
    ['people', state.people.values()],
    ['taskTypes', state.taskTypes.values()],
    ['leadership', leadership],
    ['mandates', state.mandates.values()],
  ];
  for (const [index, [name, values]] of sections.entries()) {
    await write(out, `${JSON.stringify(name)}:[`);
    let chunk = '';
    let first = true;
    for (const value of values) {
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify(value)}`;
      first = false;
      if (chunk.length > 1 << 16) {
        await write(out, chunk);
        chunk = '';
      }
    }
    await write(out, `${chunk}\n]${index === sections.length - 1 ? '}\n' : ',\n'}`);
  }
}

/** Progress lines on stderr: rewritten in place on a terminal, one line per report otherwise (CI logs). */
function progressPrinter(stderr: AuditCliIo['stderr'], command: string): ProgressListener {
  let printed = false;
  return (progress: ScanProgress) => {
    if (progress.done && !printed) return;
    printed = true;
    const line = `${command}: ${progressText(progress)}`;
    if (stderr.isTTY) stderr.write(`\r\x1b[2K${line}${progress.done ? '\n' : ''}`);
    else stderr.write(`${line}\n`);
  };
}

export function progressText(progress: ScanProgress): string {
  const percent = progress.percent === undefined ? '' : ` (${progress.percent.toFixed(1)}% of head)`;
  return (
    `${progress.eventsRead.toLocaleString('en-US')} events${percent}, ` +
    `${Math.round(progress.eventsPerSecond).toLocaleString('en-US')} events/s, ` +
    `position ${progress.position ?? '-'} of ${progress.headPosition ?? '-'}, ${(progress.elapsedMs / 1000).toFixed(1)} s${progress.done ? ', done' : ''}`
  );
}

async function usageError(io: AuditCliIo, message: string): Promise<number> {
  await write(io.stderr, `audit: ${message}\n\n${AUDIT_USAGE}`);
  return EXIT_USAGE;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { readonly code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Writes honouring back-pressure: resolves once the stream can take more. */
function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const ok = stream.write(chunk, (error) => {
      if (error) reject(error);
    });
    if (ok) resolvePromise();
    else stream.once('drain', () => resolvePromise());
  });
}

function closeStream(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.once('error', reject);
    stream.end(() => resolvePromise());
  });
}
