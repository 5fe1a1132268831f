import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { assertNever } from '@leadership/kernel';
import type { ReadOnlyEventStore } from '@leadership/event-store';
import { exportEvents, type ExportFormat } from '../export/export-events';
import { readAnchorPublicKey } from '../anchor/anchor-key';
import { anchoringVariables, locateAnchorCheck } from '../anchor/anchoring-config';
import { createIntegrityAnchor, verifyIntegrity, type AnchorLogCheck, type IntegrityAnchor, type IntegrityProblem } from '../integrity/verify-integrity';
import type { ProgressListener, ScanProgress } from '../scan/scan-progress';
import { AuditUsageError, type AuditReplayer } from './audit-replayer';
import { AuditStoreNotFoundError, AuditStoreUsageError, describeAuditStore, locateAuditStore, openAuditStore, type AuditStoreLocation } from './audit-store';
import { isIsoInstant } from '../time/iso-instant';

/** Where the CLI reads and writes; the entry point passes the process's, specs their own. */
export interface AuditCliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory the user ran the command in (relative --store, --out and --anchor paths). */
  readonly cwd: string;
  readonly workspaceRoot: string;
}

/** What the entry point knows about the platform's contexts. */
export interface AuditCliContexts {
  /**
   * The contexts `--context` accepts (the services of the workspace); a name outside the list is
   * a usage error that lists them. Omitted: any kebab-case name.
   */
  readonly known?: readonly string[];
  /** Per context, its as-of replay; `replay` is offered only for these. */
  readonly replayers: Readonly<Record<string, AuditReplayer>>;
}

/** Exit codes: 0 done, 1 integrity problems found, 2 bad usage or no store. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** The usage text, listing the contexts that can replay and their own options. */
export function auditUsage(contexts: AuditCliContexts): string {
  const replayers = Object.entries(contexts.replayers).sort(([a], [b]) => a.localeCompare(b));
  const replay = replayers.map(([name, replayer]) => {
    const options = Object.entries(replayer.options);
    const flags = options.map(([option]) => ` [--${option} <${option}>]`).join('');
    const help = options.map(([option, text]) => `\n      --${option}  ${text}`).join('');
    return `  npm run audit -- replay --context ${name} --at <ISO time>${flags} [--json]\n      ${replayer.description}${help}\n      --json prints the full replayed state instead.\n`;
  });
  const known = contexts.known === undefined || contexts.known.length === 0 ? '' : ` (${contexts.known.join(', ')})`;
  return `Compliance CLI of the platform's event stores (reads a store, never writes it).

  npm run audit -- verify --context <name> [--anchors <log>] [--anchor-key <pem>] [--anchor <file>] [--json]
      Checks every stream's hash chain and the signed anchors the service took (by default
      audit-anchors.ndjson and the public half of audit-anchor-key.pem beside a SQLite store,
      or $<NAME>_AUDIT_ANCHOR_LOG and $<NAME>_AUDIT_ANCHOR_PUBLIC_KEY): a deleted stream tail
      or stream is reported. --anchor adds a hand-taken anchor. Exit code 1 on problems.
  npm run audit -- export --context <name> --format ndjson|csv [--from <ISO>] [--to <ISO>] [--out <file>]
      Every event recorded in [from, to) with stream, revision, position, type, times, ids,
      integrity hashes and data. Default output: stdout.
  npm run audit -- anchor --context <name> --out <file>
      Writes the head hash of every stream to <file> (unsigned, by hand; the services sign
      anchors of their own automatically); keep it outside the store, pass it to verify.
${replay.length > 0 ? replay.join('') : '  (no context registers a replay)\n'}
Common options:
  --context <name> the service whose event store to read${known}, as the service
                   finds it: $EVENTSTORE_CONNECTION_STRING (EventStoreDB) if set, else
                   $<NAME>_EVENT_STORE, else .local/data/<name>/events.sqlite
  --store <file>   a SQLite store file instead (e.g. a copy); wins over --context
  --quiet          no progress on stderr
`;
}

const COMMON_OPTIONS = {
  context: { type: 'string' },
  store: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMAND_OPTIONS = {
  replay: { ...COMMON_OPTIONS, at: { type: 'string' }, json: { type: 'boolean' } },
  export: { ...COMMON_OPTIONS, format: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
  verify: { ...COMMON_OPTIONS, anchor: { type: 'string' }, anchors: { type: 'string' }, 'anchor-key': { type: 'string' }, json: { type: 'boolean' } },
  anchor: { ...COMMON_OPTIONS, out: { type: 'string' } },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

function isCommand(value: string | undefined): value is Command {
  return value !== undefined && Object.hasOwn(COMMAND_OPTIONS, value);
}

/** Parsed flags; no option is declared `multiple`, so there are no arrays. */
type OptionValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** Runs one CLI invocation; resolves to the exit code (it never calls process.exit). */
export async function runAuditCli(args: readonly string[], io: AuditCliIo, contexts: AuditCliContexts): Promise<number> {
  const usage = auditUsage(contexts);
  const [command, ...rest] = args.filter((arg, index) => !(index === 0 && arg === '--'));
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    await write(io.stdout, usage);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!isCommand(command)) return usageError(io, usage, `unknown command "${command}"`);
  let store: ReadOnlyEventStore | undefined;
  try {
    const values = parseCommand(command, rest, contexts);
    if (values['help'] === true) {
      await write(io.stdout, usage);
      return EXIT_OK;
    }
    const context = stringValue(values, 'context');
    if (context !== undefined && contexts.known !== undefined && contexts.known.length > 0 && !contexts.known.includes(context)) {
      throw new AuditUsageError(`unknown context "${context}"; the workspace's services are ${contexts.known.join(', ')}`);
    }
    const replayer = command === 'replay' ? replayerOf(contexts, context) : undefined;
    // Checked before the store is opened, so a typo costs no scan.
    if (command === 'replay') checkReplayInstant(stringValue(values, 'at'));
    const location = locateAuditStore({ ...(context !== undefined ? { context } : {}), ...optional('store', stringValue(values, 'store')) }, io.env, io);
    store = openAuditStore(location, context);
    const progress = values['quiet'] === true ? undefined : progressPrinter(io.stderr, command);
    await write(io.stderr, `${command}: reading ${describeAuditStore(location)}\n`);
    switch (command) {
      case 'replay':
        return await replay(store, io, progress, values, replayer as AuditReplayer);
      case 'export':
        return await exportCommand(store, io, progress, values as ExportValues);
      case 'verify':
        return await verify(store, io, progress, values as VerifyValues, { location, context });
      case 'anchor':
        return await anchor(store, io, progress, values as AnchorValues);
      default:
        return assertNever(command);
    }
  } catch (error) {
    if (error instanceof AuditUsageError || error instanceof AuditStoreUsageError || isParseArgsError(error)) return usageError(io, usage, (error as Error).message);
    if (error instanceof AuditStoreNotFoundError) {
      await write(io.stderr, `audit ${command}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

/**
 * Strict parsing: an unknown flag is a usage error. `replay` also accepts the options of the
 * context's replayer; they are looked up from `--context` before the strict parse.
 */
function parseCommand(command: Command, args: readonly string[], contexts: AuditCliContexts): OptionValues {
  let options: ParseArgsConfig['options'] = COMMAND_OPTIONS[command];
  if (command === 'replay') {
    const loose = parseArgs({ args: [...args], options: COMMAND_OPTIONS.replay, strict: false, allowPositionals: true }).values;
    const context = typeof loose.context === 'string' ? loose.context : undefined;
    const replayer = context !== undefined && Object.hasOwn(contexts.replayers, context) ? contexts.replayers[context] : undefined;
    const own = Object.keys(replayer?.options ?? {}).map((name) => [name, { type: 'string' }] as const);
    options = { ...COMMAND_OPTIONS.replay, ...Object.fromEntries(own) };
  }
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
}

function replayerOf(contexts: AuditCliContexts, context: string | undefined): AuditReplayer {
  const offered = Object.keys(contexts.replayers).sort();
  const list = offered.length > 0 ? offered.join(', ') : 'none';
  if (context === undefined) throw new AuditUsageError(`replay needs --context <name>; contexts with a replay: ${list}`);
  const replayer = Object.hasOwn(contexts.replayers, context) ? contexts.replayers[context] : undefined;
  if (replayer === undefined) throw new AuditUsageError(`the ${context} context offers no replay; contexts with a replay: ${list}`);
  return replayer;
}

function checkReplayInstant(at: string | undefined): void {
  if (at === undefined) throw new AuditUsageError('replay needs --at <ISO time>, e.g. --at 2025-03-01T00:00:00Z');
  if (!isIsoInstant(at)) throw new AuditUsageError(`--at must be an ISO-8601 date-time with offset (e.g. 2025-03-01T00:00:00Z), got "${at}"`);
}

function stringValue(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function optional<Key extends string>(key: Key, value: string | undefined): Partial<Record<Key, string>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<Key, string>>);
}

async function replay(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: OptionValues, replayer: AuditReplayer): Promise<number> {
  const options = Object.fromEntries(Object.keys(replayer.options).map((name) => [name, stringValue(values, name)]));
  await replayer.replay({
    store,
    at: stringValue(values, 'at') ?? '',
    json: values['json'] === true,
    options,
    onProgress,
    write: (chunk) => write(io.stdout, chunk),
    warn: (message) => write(io.stderr, `replay: warning: ${message}\n`),
  });
  return EXIT_OK;
}

interface ExportValues {
  readonly format?: string;
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
}

async function exportCommand(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: ExportValues): Promise<number> {
  if (values.format !== 'ndjson' && values.format !== 'csv') throw new AuditUsageError('export needs --format ndjson or --format csv');
  const format: ExportFormat = values.format;
  for (const [name, value] of [['from', values.from], ['to', values.to]] as const) {
    if (value !== undefined && !isIsoInstant(value)) throw new AuditUsageError(`--${name} must be an ISO-8601 date-time with offset, got "${value}"`);
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
  readonly anchors?: string;
  readonly 'anchor-key'?: string;
  readonly json?: boolean;
}

async function verify(
  store: ReadOnlyEventStore,
  io: AuditCliIo,
  onProgress: ProgressListener | undefined,
  values: VerifyValues,
  target: { readonly location: AuditStoreLocation; readonly context: string | undefined },
): Promise<number> {
  const anchor = values.anchor === undefined ? undefined : readAnchor(resolve(io.cwd, values.anchor));
  const anchorLog = anchorLogToCheck(io, values, target);
  if (anchorLog === undefined) await write(io.stderr, 'verify: warning: no signed anchor log found, so a deleted stream tail or stream cannot be detected (pass --anchors <log>)\n');
  const report = await verifyIntegrity(store, { ...(anchor ? { anchor } : {}), ...(anchorLog ? { anchorLog } : {}), ...(onProgress ? { onProgress } : {}) });
  if (values.json) {
    await write(io.stdout, `${JSON.stringify({ ...report, headPosition: report.headPosition?.toString() ?? null }, null, 2)}\n`);
  } else {
    for (const problem of report.problems) await write(io.stdout, `${problemLine(problem)}\n`);
    const verdict = report.problems.length === 0 ? 'OK: every chain is intact' : `FAILED: ${report.problems.length} problem(s), ${report.verdict}`;
    const anchors = report.anchors ? `, ${report.anchors.anchors} signed anchor(s) checked up to ${report.anchors.lastAnchoredAt ?? 'none'}` : ', no signed anchors';
    await write(io.stdout, `verify: ${verdict} (${report.eventsChecked} events in ${report.streamsChecked} streams${anchors}${anchor ? ', hand-taken anchor checked' : ''})\n`);
  }
  return report.problems.length === 0 ? EXIT_OK : EXIT_PROBLEMS;
}

/**
 * The signed anchor log and the key to check it with: flags, then the service's variables, then
 * the files beside a SQLite store. A log without a key is a usage error: unchecked anchors would
 * prove nothing. Neither log nor key: undefined (verify warns).
 */
function anchorLogToCheck(io: AuditCliIo, values: VerifyValues, target: { readonly location: AuditStoreLocation; readonly context: string | undefined }): AnchorLogCheck | undefined {
  const explicit = {
    ...optional('logFile', values.anchors === undefined ? undefined : resolve(io.cwd, values.anchors)),
    ...optional('publicKeyFile', values['anchor-key'] === undefined ? undefined : resolve(io.cwd, values['anchor-key'])),
  };
  const location = target.location.kind === 'sqlite' ? { kind: 'sqlite' as const, file: target.location.file } : { kind: 'eventstoredb' as const };
  const files = locateAnchorCheck(explicit, target.context, location, io.env, io.workspaceRoot);
  if (files === undefined || (!existsSync(files.logFile) && files.publicKeyFile === undefined && explicit.logFile === undefined)) return undefined;
  if (files.publicKeyFile === undefined) {
    const variable = target.context === undefined ? '<NAME>_AUDIT_ANCHOR_PUBLIC_KEY' : anchoringVariables(target.context).publicKey;
    throw new AuditUsageError(`anchor log ${files.logFile} found but no public key to check it: pass --anchor-key <pem> or set ${variable}`);
  }
  try {
    return { file: files.logFile, publicKey: readAnchorPublicKey(files.publicKeyFile) };
  } catch (error) {
    throw new AuditUsageError(`cannot read the anchor key ${files.publicKeyFile}: ${(error as Error).message}`);
  }
}

function problemLine(problem: IntegrityProblem): string {
  if (problem.kind === 'anchor-invalid') return `anchor-invalid: ${problem.revision > 0 ? `line ${problem.revision} of the anchor log: ` : ''}${problem.detail ?? ''}`;
  if (problem.missingRevisions !== undefined) {
    const { from, to } = problem.missingRevisions;
    return `${problem.kind}: ${problem.streamName} revisions ${from}..${to} are gone (anchored head hash ${problem.expected ?? 'null'})`;
  }
  return `${problem.kind}: ${problem.streamName} revision ${problem.revision} event ${problem.eventId || '(missing)'} expected ${problem.expected ?? 'null'} actual ${problem.actual ?? 'null'}`;
}

interface AnchorValues {
  readonly out?: string;
}

async function anchor(store: ReadOnlyEventStore, io: AuditCliIo, onProgress: ProgressListener | undefined, values: AnchorValues): Promise<number> {
  if (values.out === undefined) throw new AuditUsageError('anchor needs --out <file> (keep it outside the store)');
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
    throw new AuditUsageError(`cannot read anchor ${file}: ${(error as Error).message}`);
  }
  const candidate = parsed as Partial<IntegrityAnchor> | null;
  const streams = candidate?.streams;
  const wellFormed =
    candidate?.version === 1 &&
    typeof streams === 'object' &&
    streams !== null &&
    Object.values(streams).every((head) => Number.isSafeInteger(head?.revision) && (head.hash === null || typeof head.hash === 'string'));
  if (!wellFormed) throw new AuditUsageError(`${file} is not an integrity anchor written by "npm run audit -- anchor"`);
  return candidate as IntegrityAnchor;
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

async function usageError(io: AuditCliIo, usage: string, message: string): Promise<number> {
  await write(io.stderr, `audit: ${message}\n\n${usage}`);
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
