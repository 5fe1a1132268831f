import type { JsonLogger } from '@leadership/platform-nest';

/** The `(msg, fields)` logger shape of the platform's components (relay, projector, consumers). */
export interface ComponentLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A component's logs as structured lines of the service's JsonLogger, with the component as context. */
export function componentLogger(logger: Pick<JsonLogger, 'log' | 'warn' | 'error'>, component: string): ComponentLogger {
  return {
    info: (msg, fields) => logger.log({ msg, ...fields }, component),
    warn: (msg, fields) => logger.warn({ msg, ...fields }, component),
    error: (msg, fields) => logger.error({ msg, ...fields }, component),
  };
}
