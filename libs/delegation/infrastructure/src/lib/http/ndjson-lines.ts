import type { Readable } from 'node:stream';

/** How much an NDJSON body may hold; each limit says why it exists where it is chosen. */
export interface NdjsonLimits {
  /** Bytes of the whole body. */
  readonly maxBytes: number;
  /** Bytes of one line (without its line break). */
  readonly maxLineBytes: number;
}

/** One non-blank line of an NDJSON body and its 1-based number (blank lines are counted, not yielded). */
export interface NdjsonLine {
  readonly line: number;
  readonly text: string;
}

/** The body broke a limit or is not UTF-8: reading stopped at `line`. */
export class NdjsonBodyError extends Error {
  override readonly name = 'NdjsonBodyError';
  constructor(
    readonly reason: 'body-too-large' | 'line-too-long' | 'invalid-utf8',
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * The lines of an NDJSON body as it arrives, one at a time: at most one line (and one chunk of the
 * socket) is held in memory, whatever the size of the body. Reading stops at the first broken limit
 * — before the rest of the body is read — so an oversized body costs no more than the limit.
 */
export async function* readNdjsonLines(body: Readable | AsyncIterable<Buffer | string>, limits: NdjsonLimits): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let line = 0;
  const complete = (bytes: Buffer): NdjsonLine | undefined => {
    line += 1;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new NdjsonBodyError('invalid-utf8', line, `line ${line} is not UTF-8`);
    }
    return text.trim() === '' ? undefined : { line, text };
  };
  const tooLong = () => new NdjsonBodyError('line-too-long', line + 1, `line ${line + 1} is longer than ${limits.maxLineBytes} bytes`);
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total += bytes.length;
    if (total > limits.maxBytes) throw new NdjsonBodyError('body-too-large', line + 1, `the body is larger than ${limits.maxBytes} bytes (at line ${line + 1})`);
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, newline);
      if (pendingBytes + piece.length > limits.maxLineBytes) throw tooLong();
      const whole = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      const next = complete(whole);
      if (next) yield next;
      start = newline + 1;
    }
    if (start < bytes.length) {
      const rest = bytes.subarray(start);
      if (pendingBytes + rest.length > limits.maxLineBytes) throw tooLong();
      // A copy: the socket's chunk would otherwise stay referenced, whole, until the line ends.
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) {
    const last = complete(Buffer.concat(pending));
    if (last) yield last;
  }
}
