import type { ReadOnlyEventStore, RecordedEvent } from '@leadership/event-store';
import { readIntegrity } from '../integrity/event-hash';
import { scanAll, type ScanOptions } from '../scan/scan-all';
import type { ScanProgress } from '../scan/scan-progress';

export type ExportFormat = 'ndjson' | 'csv';

/**
 * One exported event. `position` is a decimal string (EventStoreDB positions exceed 2^53);
 * `previousHash`/`hash` are the integrity chain (null when the event has none), so an export can
 * be checked on its own with the README's recipe. Absent metadata fields are null.
 */
export interface ExportedEvent {
  readonly streamName: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly eventId: string;
  readonly actor: string | null;
  readonly correlationId: string | null;
  readonly previousHash: string | null;
  readonly hash: string | null;
  readonly data: unknown;
  /**
   * The whole stored metadata, integrity entry included: a scheme-2 hash covers all of it and the
   * writer's recorded time (`metadata.integrity.recordedAt`), so an export row can be re-checked
   * without the store (README.md, "Export").
   */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Column order of the CSV export (also the key order of each NDJSON line). */
export const EXPORT_COLUMNS = [
  'streamName',
  'revision',
  'position',
  'type',
  'recordedAt',
  'eventId',
  'actor',
  'correlationId',
  'previousHash',
  'hash',
  'data',
  'metadata',
] as const satisfies readonly (keyof ExportedEvent)[];

/** Options of {@link exportEvents}. */
export interface ExportOptions extends ScanOptions {
  readonly format: ExportFormat;
  /** Inclusive lower bound on `recordedAt` (ISO-8601 with offset). */
  readonly from?: string;
  /** Exclusive upper bound on `recordedAt`. */
  readonly to?: string;
  /**
   * Receives the output in chunks (about one page each). Awaited before the next page is read,
   * so a slow sink (a file stream honouring back-pressure) slows the export instead of
   * buffering it.
   */
  readonly write: (chunk: string) => void | Promise<void>;
}

/** What {@link exportEvents} did. */
export interface ExportSummary {
  readonly eventsRead: number;
  readonly eventsExported: number;
  readonly progress: ScanProgress;
}

/**
 * Writes every event of $all whose recordedAt lies in [from, to) as NDJSON (one JSON object per
 * line, LF) or CSV (RFC 4180: header row, CRLF, fields quoted when needed, `data` always quoted
 * as JSON). Recorded time, not domain time: an export answers "what did the store receive in
 * this window", e.g. for an archive or a hand-over; as-of questions are for replay.
 */
export async function exportEvents(store: ReadOnlyEventStore, options: ExportOptions): Promise<ExportSummary> {
  const from = boundOf(options.from, 'from');
  const to = boundOf(options.to, 'to');
  const line = options.format === 'csv' ? toCsvRecord : toNdjsonLine;
  if (options.format === 'csv') await options.write(`${EXPORT_COLUMNS.join(',')}\r\n`);
  else if (options.format !== 'ndjson') throw new RangeError(`unknown export format "${String(options.format)}"`);
  let eventsExported = 0;
  const progress = await scanAll(store, options, async (events) => {
    let chunk = '';
    for (const event of events) {
      // Recorded time is not guaranteed monotonic along $all (several writer processes), so the
      // window is a filter over the whole log rather than a range to seek to.
      if (from !== undefined || to !== undefined) {
        const recorded = Date.parse(event.recordedAt);
        if ((from !== undefined && recorded < from) || (to !== undefined && recorded >= to)) continue;
      }
      chunk += line(toExportedEvent(event));
      eventsExported++;
    }
    if (chunk.length > 0) await options.write(chunk);
  });
  return { eventsRead: progress.eventsRead, eventsExported, progress };
}

function boundOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) throw new RangeError(`export --${name} must be an ISO-8601 date-time, got "${value}"`);
  return millis;
}

export function toExportedEvent(event: RecordedEvent): ExportedEvent {
  const integrity = readIntegrity(event.metadata);
  return {
    streamName: event.streamName,
    revision: event.revision,
    position: event.position.toString(),
    type: event.type,
    recordedAt: event.recordedAt,
    eventId: event.metadata.eventId,
    actor: stringOrNull(event.metadata.actor),
    correlationId: stringOrNull(event.metadata.correlationId),
    previousHash: integrity?.previousHash ?? null,
    hash: integrity?.hash ?? null,
    data: event.data,
    metadata: event.metadata,
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toNdjsonLine(event: ExportedEvent): string {
  // JSON.stringify escapes U+2028/U+2029 and control characters, so a line never breaks early.
  return `${JSON.stringify(event)}\n`;
}

function toCsvRecord(event: ExportedEvent): string {
  const fields = EXPORT_COLUMNS.map((column) => {
    if (column === 'data' || column === 'metadata') return quoteCsv(JSON.stringify(event[column]));
    const value = event[column];
    return value === null ? '' : csvField(String(value));
  });
  return `${fields.join(',')}\r\n`;
}

/**
 * RFC 4180: a field with a comma, a double quote, CR or LF is enclosed in quotes, quotes doubled.
 * A field a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR — OWASP
 * "CSV injection") gets a leading `'` and is quoted: actors, correlation ids and event data reach
 * the export from callers (a token subject, an X-Correlation-Id header), and compliance opens it in
 * Excel. The original text stays readable after the apostrophe; the NDJSON export is unchanged.
 */
export function csvField(value: string): string {
  if (/^[=+\-@\t\r]/.test(value)) return quoteCsv(`'${value}`);
  return /[",\r\n]/.test(value) ? quoteCsv(value) : value;
}

function quoteCsv(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
