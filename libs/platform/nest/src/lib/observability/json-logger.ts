import type { LoggerService, LogLevel } from '@nestjs/common';
import { requestContext } from './request-context';

/** Logging never throws: bigints (event positions) become strings, cycles are cut. */
function jsonSafe(this: unknown, _key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

const order: Record<LogLevel, number> = { verbose: 0, debug: 1, log: 2, warn: 3, error: 4, fatal: 5 };

/**
 * Structured JSON logs, one line each, with the correlation id of the request being served.
 * Callers log ids, never names or e-mail addresses (the brief forbids personal data in logs).
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minLevel: LogLevel = (process.env['LOG_LEVEL'] as LogLevel | undefined) ?? 'log',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  private emit(level: LogLevel, message: unknown, context?: unknown, extra?: Record<string, unknown>): void {
    if (order[level] < order[this.minLevel]) return;
    const ctx = requestContext.current();
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(typeof context === 'string' ? { context } : {}),
      ...(ctx ? { correlationId: ctx.correlationId, traceparent: ctx.traceparent } : {}),
      ...(message instanceof Error ? { msg: message.message, error: message.name, stack: message.stack } : typeof message === 'object' && message !== null ? message : { msg: String(message) }),
      ...extra,
    };
    this.write(JSON.stringify(entry, jsonSafe));
  }

  log(message: unknown, context?: string): void {
    this.emit('log', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.emit('error', message, context ?? stackOrContext, context && stackOrContext ? { stack: stackOrContext } : undefined);
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.emit('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.emit('fatal', message, context);
  }
}
