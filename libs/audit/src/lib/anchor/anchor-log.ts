import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import { anchorDigest, anchorSignatureValid, type AnchoredHead, type SignedAnchor } from './signed-anchor';
import { anchorKeyId } from './anchor-key';

/**
 * An anchor log is an append-only NDJSON file, one {@link SignedAnchor} per line. It lives
 * outside the store (README.md, "Anchors"): deleting events with SQL, or through EventStoreDB's
 * admin API, leaves it untouched, and the signature means it cannot be rewritten to match
 * without the anchor key.
 */

/** Appends one anchor and fsyncs it: an anchor that a crash could lose would protect nothing. */
export function appendAnchorLine(file: string, anchor: SignedAnchor): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(anchor)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The last anchor of the log, parsed but not checked (the anchorer continues the chain from it;
 * verify checks it). Undefined for a missing or empty log. A half-written last line (a crash
 * mid-append) is skipped: the chain continues from the last whole one, and verify reports the
 * broken line.
 */
export function readLastAnchor(file: string): SignedAnchor | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = parseAnchor(lines[i] ?? '');
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** What is wrong with one line of the anchor log. */
export interface AnchorLogProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

/** The anchor log read and checked, as verify needs it. */
export interface CheckedAnchorLog {
  /** Lines that parsed, carried a valid signature and continued the chain. */
  readonly anchors: number;
  readonly last: SignedAnchor | undefined;
  /** Every stream head stated by a valid anchor: stream → revision → hash. */
  readonly heads: ReadonlyMap<string, ReadonlyMap<number, string | null>>;
  readonly problems: readonly AnchorLogProblem[];
}

/**
 * Reads the whole log line by line and checks it against the trusted public key: each line must
 * parse, be signed by that key, and continue the chain (`sequence` + 1, `previous` = digest of
 * the line before, `fromPosition` = the line before's `headPosition`). Only the heads of valid
 * lines are returned; an invalid line is reported and its content ignored. Memory is the set of
 * distinct anchored heads, not the log.
 */
export async function checkAnchorLog(file: string, publicKey: KeyObject): Promise<CheckedAnchorLog> {
  const keyId = anchorKeyId(publicKey);
  const heads = new Map<string, Map<number, string | null>>();
  const problems: AnchorLogProblem[] = [];
  let previous: SignedAnchor | undefined;
  let last: SignedAnchor | undefined;
  let anchors = 0;
  let lineNumber = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const anchor = parseAnchor(line);
    if (anchor === undefined) {
      problems.push({ line: lineNumber, reason: 'not a signed anchor (unparseable or malformed line)' });
      continue;
    }
    const reason = lineProblem(anchor, previous, keyId, publicKey);
    // The chain is checked against the line before even when that one was invalid, so one bad
    // line is reported once rather than breaking every later link.
    previous = anchor;
    if (reason !== undefined) {
      problems.push({ line: lineNumber, reason });
      continue;
    }
    anchors++;
    last = anchor;
    for (const [streamName, head] of Object.entries(anchor.streams)) {
      let revisions = heads.get(streamName);
      if (revisions === undefined) heads.set(streamName, (revisions = new Map()));
      revisions.set(head.revision, head.hash);
    }
  }
  return { anchors, last, heads, problems };
}

function lineProblem(anchor: SignedAnchor, previous: SignedAnchor | undefined, keyId: string, publicKey: KeyObject): string | undefined {
  if (anchor.keyId !== keyId) return `signed by key ${anchor.keyId}, not by the anchor key ${keyId}`;
  if (!anchorSignatureValid(anchor, publicKey)) return `bad signature on anchor ${anchor.sequence}`;
  const expectedSequence = previous === undefined ? 0 : previous.sequence + 1;
  if (anchor.sequence !== expectedSequence) return `sequence ${anchor.sequence} where ${expectedSequence} was expected: anchors were removed or reordered`;
  const expectedPrevious = previous === undefined ? null : anchorDigest(previous);
  if (anchor.previous !== expectedPrevious) return `anchor ${anchor.sequence} does not link to the line before it`;
  const expectedFrom = previous === undefined ? null : previous.headPosition;
  if (anchor.fromPosition !== expectedFrom) return `anchor ${anchor.sequence} covers from position ${anchor.fromPosition ?? 'start'}, the one before ended at ${expectedFrom ?? 'start'}`;
  return undefined;
}

const POSITION = /^(0|[1-9][0-9]*)$/;

function parseAnchor(line: string): SignedAnchor | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as Record<string, unknown>;
  const position = (p: unknown) => p === null || (typeof p === 'string' && POSITION.test(p));
  if (a['version'] !== 2 || !Number.isSafeInteger(a['sequence']) || (a['previous'] !== null && typeof a['previous'] !== 'string')) return undefined;
  if (typeof a['createdAt'] !== 'string' || !position(a['fromPosition']) || !position(a['headPosition'])) return undefined;
  if (typeof a['keyId'] !== 'string' || typeof a['signature'] !== 'string') return undefined;
  const streams = a['streams'];
  if (typeof streams !== 'object' || streams === null || Array.isArray(streams)) return undefined;
  // No prototype: `__proto__` is a valid stream name and must stay an own key.
  const heads = Object.create(null) as Record<string, AnchoredHead>;
  for (const [name, head] of Object.entries(streams as Record<string, unknown>)) {
    const { revision, hash } = (head ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(revision) || (revision as number) < 0 || (hash !== null && typeof hash !== 'string')) return undefined;
    heads[name] = { revision: revision as number, hash: hash as string | null };
  }
  return { ...(a as unknown as SignedAnchor), streams: heads };
}
