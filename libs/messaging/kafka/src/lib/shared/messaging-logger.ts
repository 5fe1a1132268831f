/**
 * The few log calls the relay and the consumer make. Fields are ids, positions and error
 * messages, never payloads (they may hold personal data). Pass a service's logger in; the
 * default writes JSON lines for warnings and errors to stderr.
 */
export interface MessagingLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

function line(level: string, message: string, fields?: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields }, (_, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  )}\n`;
}

export const defaultMessagingLogger: MessagingLogger = {
  info: () => undefined,
  warn: (message, fields) => process.stderr.write(line('warn', message, fields)),
  error: (message, fields) => process.stderr.write(line('error', message, fields)),
};

export const silentMessagingLogger: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The message of an unknown thrown value, for logs and headers. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
