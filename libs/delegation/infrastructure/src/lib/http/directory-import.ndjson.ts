import { PassThrough, type Readable } from 'node:stream';
import { StreamableFile, type LoggerService } from '@nestjs/common';
import type { ImportRowsOptions, ImportSummary } from '@leadership/delegation-application';
import { ProblemException, problems, zodIssuesToErrors, type ProblemDetails } from '@leadership/platform-nest';
import { DirectoryImportSpool } from '../directory/directory-import.spool';
import { NdjsonBodyError, readNdjsonLines, type NdjsonLimits } from './ndjson-lines';
import { importLine } from './schemas';

export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/** Limits of an NDJSON directory import. */
export interface DirectoryImportNdjsonLimits extends NdjsonLimits {
  /** Unit lines: the units of an import are planned together (parents and cycles span rows), in memory. */
  readonly maxUnits: number;
  /** Person lines: applied a chunk at a time, bounded only to bound the spool file and the time. */
  readonly maxPeople: number;
  /** Validation errors named in the 400 (the rest are counted). */
  readonly maxReportedErrors: number;
}

/*
 * 256 MiB holds a million people of typical size; a line of 64 KiB holds the largest valid row
 * (200 memberships of 128-character ids is 26 KB); 20,000 units as in the JSON form.
 */
export const DIRECTORY_IMPORT_NDJSON_LIMITS: DirectoryImportNdjsonLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxLineBytes: 64 * 1024,
  maxUnits: 20_000,
  maxPeople: 1_000_000,
  maxReportedErrors: 100,
};

/** One line that does not hold a valid unit or person. */
export interface LineError {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

const lineError = (line: number, path: string, message: string): LineError => ({ line, path, message });

/**
 * Reads an NDJSON import body line by line as it arrives (never buffered whole), validates each line
 * (`{"kind":"unit",…}` or `{"kind":"person",…}`, the JSON form's row schemas) and spools the valid
 * rows to disk. All or nothing: a body with any invalid line is refused with 400 naming every bad
 * line (the first `maxReportedErrors`, and how many in all), before a single row is applied. A
 * broken size limit stops reading at once: 413 naming the line.
 */
export async function spoolDirectoryImport(body: Readable, limits: DirectoryImportNdjsonLimits = DIRECTORY_IMPORT_NDJSON_LIMITS): Promise<DirectoryImportSpool> {
  const spool = new DirectoryImportSpool();
  const errors: LineError[] = [];
  let errorCount = 0;
  const invalid = (error: LineError) => {
    errorCount += 1;
    if (errors.length < limits.maxReportedErrors) errors.push(error);
  };
  try {
    for await (const { line, text } of readNdjsonLines(body, limits)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        invalid({ line, path: '(line)', message: 'not a JSON value' });
        continue;
      }
      const parsed = importLine.safeParse(value);
      if (!parsed.success) {
        zodIssuesToErrors(parsed.error).forEach(({ path, message }) => invalid({ line, path, message }));
        continue;
      }
      // After the first invalid line nothing will be applied: keep reading only to name the others.
      if (errorCount > 0) continue;
      const counts = spool.counts;
      if (parsed.data.kind === 'unit') {
        if (counts.units >= limits.maxUnits) throw new ProblemException(problems.tooLarge(`Line ${line}: more than ${limits.maxUnits} units in one import; import the units separately or split the file.`));
        const { kind: _kind, ...unit } = parsed.data;
        spool.add(line, { kind: 'unit', value: unit });
      } else {
        if (counts.people >= limits.maxPeople) throw new ProblemException(problems.tooLarge(`Line ${line}: more than ${limits.maxPeople} people in one import; split the file.`));
        const { kind: _kind, ...person } = parsed.data;
        spool.add(line, { kind: 'person', value: person });
      }
    }
  } catch (error) {
    spool.close();
    if (error instanceof NdjsonBodyError) {
      throw new ProblemException(
        error.reason === 'invalid-utf8'
          ? problems.validation([lineError(error.line, '(line)', 'not UTF-8')], `Line ${error.line} is not UTF-8; send the file as UTF-8.`)
          : problems.tooLarge(`${error.message[0]?.toUpperCase()}${error.message.slice(1)}: lines hold at most ${limits.maxLineBytes} bytes and a body ${limits.maxBytes}.`),
      );
    }
    throw error;
  }
  if (errorCount > 0) {
    spool.close();
    throw new ProblemException({
      ...problems.validation(errors, `${errorCount} ${errorCount === 1 ? 'error' : 'errors'} in the import (lines ${[...new Set(errors.map((e) => e.line))].join(', ')}${errorCount > errors.length ? ', …' : ''}); nothing was imported. Fix the lines named and send the file again.`),
      errorCount,
    });
  }
  spool.seal();
  return spool;
}

/** What the NDJSON import answers, a line each: one per row as it is applied, then the summary (or, if it stopped, an error). */
export type ImportOutcomeLine =
  | { readonly line: number; readonly kind: 'unit' | 'person'; readonly id: string; readonly outcome: string; readonly reason?: unknown; readonly changes?: readonly string[] }
  | { readonly summary: ImportSummary }
  | { readonly error: ProblemDetails };

/**
 * Runs the import of a spooled body and streams each row's outcome as it is applied, as NDJSON
 * (`200` is sent with the first line: the body was valid). A reader that stops reading pauses the
 * import (back-pressure); one that goes away stops it between chunks. A failure ends the stream
 * with an `error` line instead of the summary: the rows before it are applied, and sending the
 * file again finishes the job (applied rows come back `unchanged`). The spool is deleted at the end.
 */
export function streamImportOutcomes(
  spool: DirectoryImportSpool,
  run: (options: ImportRowsOptions) => Promise<ImportSummary>,
  logger: Pick<LoggerService, 'log' | 'error'>,
): StreamableFile {
  const out = new PassThrough();
  const aborted = new AbortController();
  out.once('close', () => aborted.abort(new Error('the client went away')));
  const write = async (value: ImportOutcomeLine): Promise<void> => {
    aborted.signal.throwIfAborted();
    if (!out.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((resolve) => (out.once('drain', resolve), out.once('close', resolve)));
  };
  const total = spool.counts.units + spool.counts.people;
  let logged = 0;
  void run({
    signal: aborted.signal,
    onRow: ({ kind, row, id, outcome, reason, changes }) => write({ line: row, kind, id, outcome, ...(reason ? { reason } : {}), ...(changes ? { changes } : {}) }),
    // Progress in the log at every tenth of the rows (the client sees each row anyway).
    onProgress: (done) => {
      if (total === 0 || (done < total && done - logged < total / 10)) return;
      logged = done;
      logger.log(`directory import: ${done}/${total} rows`);
    },
  })
    .then((summary) => write({ summary }))
    .catch(async (error: unknown) => {
      if (aborted.signal.aborted) return;
      logger.error(error instanceof Error ? error : String(error), 'directory import stopped');
      await write({
        error: { ...problems.internal(), title: 'Import stopped', detail: 'The import stopped after the rows reported above; the rest were not applied. Send the file again: rows already applied come back unchanged.' },
      }).catch(() => undefined);
    })
    .finally(() => {
      spool.close();
      out.end();
    });
  return new StreamableFile(out, { type: NDJSON_MEDIA_TYPE });
}
