import { createHash } from 'node:crypto';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Collection } from 'mongodb';
import { from, lastValueFrom, Observable } from 'rxjs';
import { isDuplicateKey } from '@leadership/projection';
import { ProblemException, problems } from '../http/problem';

/** A stored response for one (caller, Idempotency-Key). */
export interface IdempotencyRecord {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'completed';
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  createdAt: Date;
}

/** A pending record older than this belongs to a request that died; a retry may take over. */
const PENDING_TAKEOVER_MS = 60_000;
/**
 * How long a key is remembered [24 h, as the payment APIs that popularised the header do]: a
 * retry comes within minutes; a key reused after a day is a new request. Bounded, so the
 * collection does not grow with every request ever made.
 */
const DEFAULT_RETENTION_MS = 24 * 3_600_000;
/** Expired records are swept at most this often (one indexed deleteMany), piggybacking on requests. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

export interface IdempotencyOptions {
  readonly retentionMs?: number;
  /** Told when a completed response could not be stored (the command was applied; its response is still returned). */
  readonly onStoreFailure?: (error: unknown) => void;
}
const REPLAYED_HEADERS = ['location', 'etag', 'content-type'];

/**
 * Honours `Idempotency-Key` on unsafe requests: the first request with a key runs and its 2xx
 * response is stored; a retry with the same key and the same request gets the stored response
 * (header `Idempotent-Replayed: true`) without running again; the same key with a different
 * request is refused (422); a retry while the first is still running gets 409. Failed requests
 * are not stored, so they can be retried. Keys are scoped by caller, method and path.
 *
 * One document per key, written with single-document operations only (FerretDB has no
 * transactions): the unique `_id` decides which of two concurrent first requests runs.
 */
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly retentionMs: number;
  private lastSweep = 0;
  private indexed: Promise<void> | undefined;

  constructor(
    private readonly records: Collection<IdempotencyRecord>,
    private readonly now: () => Date = () => new Date(),
    private readonly options: IdempotencyOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // Registered globally, it also wraps Kafka handlers (Nest microservices): those have no HTTP
    // headers and dedupe by event id or version in their own processor.
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { actor?: { personId: string } }>();
    const res = http.getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || req.method === 'GET') return next.handle();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new ProblemException(problems.validation([{ path: 'Idempotency-Key', message: '1-200 visible ASCII characters' }]));
    }
    const caller = req.actor?.personId ?? 'anonymous';
    const id = createHash('sha256').update(`${caller}\u0000${req.method}\u0000${req.path}\u0000${key}`).digest('hex');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([req.method, req.originalUrl, req.headers['if-match'] ?? null, req.body ?? null]))
      .digest('hex');
    return from(this.run(id, fingerprint, res, next));
  }

  /*
   * Expiry in code and by sweep: MongoDB would also honour a TTL index, FerretDB 1.24 does not
   * expire documents, so a record past retention is treated as absent here (replaced on insert)
   * and old ones are deleted in the background at most every SWEEP_INTERVAL_MS.
   */
  private sweep(): void {
    const now = this.now().getTime();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    this.indexed ??= this.records.createIndex({ createdAt: 1 }).then(() => undefined, () => (this.indexed = undefined));
    void this.indexed
      .then(() => this.records.deleteMany({ createdAt: { $lt: new Date(now - this.retentionMs) } }))
      .catch(() => undefined);
  }

  private expired(record: IdempotencyRecord): boolean {
    return this.now().getTime() - record.createdAt.getTime() >= this.retentionMs;
  }

  private async run(id: string, fingerprint: string, res: Response, next: CallHandler): Promise<unknown> {
    this.sweep();
    for (let attempt = 0; attempt < 3; attempt++) {
      let existing = await this.records.findOne({ _id: id });
      if (existing && this.expired(existing)) {
        // Forgotten: the key starts over (guarded by createdAt against a concurrent taker).
        await this.records.deleteOne({ _id: id, createdAt: existing.createdAt });
        existing = null;
      }
      if (existing) {
        if (existing.fingerprint !== fingerprint) {
          throw new ProblemException(
            problems.rule('idempotency.key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.'),
          );
        }
        if (existing.state === 'completed') {
          for (const [name, value] of Object.entries(existing.headers ?? {})) res.setHeader(name, value);
          res.setHeader('Idempotent-Replayed', 'true');
          res.status(existing.status ?? 200);
          return existing.body === undefined ? undefined : JSON.parse(existing.body);
        }
        if (this.now().getTime() - existing.createdAt.getTime() < PENDING_TAKEOVER_MS) {
          throw new ProblemException(problems.conflict('A request with this Idempotency-Key is still being processed; retry shortly.'), {
            'Retry-After': '1',
          });
        }
        // A request that died while pending: take over (guarded by its createdAt).
        const taken = await this.records.updateOne({ _id: id, state: 'pending', createdAt: existing.createdAt }, { $set: { createdAt: this.now() } });
        if (taken.modifiedCount !== 1) continue;
      } else {
        try {
          await this.records.insertOne({ _id: id, fingerprint, state: 'pending', createdAt: this.now() });
        } catch (error) {
          if (isDuplicateKey(error)) continue;
          throw error;
        }
      }
      let body: unknown;
      try {
        body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        // The command failed: nothing was applied, so the key is free for a retry.
        await this.records.deleteOne({ _id: id, state: 'pending' }).catch(() => undefined);
        throw error;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      try {
        await this.records.updateOne(
          { _id: id },
          { $set: { state: 'completed', status: res.statusCode, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) } },
        );
      } catch (error) {
        /*
         * The command was applied but its response could not be stored (the database went away
         * in between). Answer what happened — a 500 here would make the client believe it failed —
         * and leave the record pending: a retry within PENDING_TAKEOVER_MS gets 409, a later one
         * takes over and runs again, which the command's own idempotency (event ids derived from
         * the key, no-op retries in the deciders) turns into the same result.
         */
        this.options.onStoreFailure?.(error);
      }
      return body;
    }
    throw new ProblemException(problems.conflict('Concurrent requests with this Idempotency-Key; retry shortly.'));
  }
}
