/** A unique index rejected a write (server error code 11000). */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(
    /** The first field of the violated index, when the server says it (`_id`, `email`, …). */
    readonly key: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`duplicate key${key ? ` on ${key}` : ''}`, options);
  }
}

interface ServerErrorLike {
  code?: unknown;
  keyPattern?: Record<string, unknown>;
  keyValue?: Record<string, unknown>;
  errmsg?: unknown;
  message?: unknown;
}

/*
 * MongoDB reports the violated index in keyPattern/keyValue; FerretDB 1.24 only in the message
 * ("… index: email_1 dup key …" or "_id_"). Both are read so callers get one typed error.
 */
function keyOf(error: ServerErrorLike): string | undefined {
  const fromPattern = Object.keys(error.keyPattern ?? error.keyValue ?? {})[0];
  if (fromPattern) return fromPattern;
  const text = String(error.errmsg ?? error.message ?? '');
  const index = /index:\s*([A-Za-z0-9_.$]+)/.exec(text)?.[1];
  if (!index) return undefined;
  if (index === '_id_') return '_id';
  return index.replace(/_-?1$/, '').split(/_-?1_/)[0];
}

/** Maps driver errors to typed ones; anything unknown is returned unchanged. */
export function translateMongoError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) {
    const e = error as ServerErrorLike;
    if (e.code === 11000 || e.code === 11001) return new DuplicateKeyError(keyOf(e), { cause: error });
    // Bulk writes wrap the server error.
    const nested = (error as { writeErrors?: ServerErrorLike[] }).writeErrors?.[0];
    if (nested && (nested.code === 11000 || nested.code === 11001)) return new DuplicateKeyError(keyOf(nested), { cause: error });
  }
  return error;
}

export function isDuplicateKey(error: unknown, key?: string): boolean {
  const t = translateMongoError(error);
  return t instanceof DuplicateKeyError && (key === undefined || t.key === key);
}
