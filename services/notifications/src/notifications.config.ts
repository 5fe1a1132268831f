import type { SmtpSettings } from '@leadership/notifications-infrastructure';
import { ConfigError, envPrefix, intFromEnv } from '@leadership/platform-runtime';

const PREFIX = envPrefix('notifications');

/** The notifications service's own settings from the environment (beside serviceConfigFromEnv's common ones). */
export interface NotificationsEnvSettings {
  readonly smtp: SmtpSettings;
  /** Base URL of the delegation service (the directory's owner: contact details are read from it). */
  readonly directoryUrl: string;
  /** A `system` bearer token for the directory API when tokens come from a real issuer (dev mode mints its own). */
  readonly directoryToken?: string;
  /** Public address of the client app, for links in texts. */
  readonly appUrl: string;
  /** Zone of people who never set preferences. */
  readonly defaultTimeZone: string;
  readonly authorityGroup?: string;
  readonly consumerGroup?: string;
  readonly directoryGroup?: string;
  /** Shifts the service's clock (tests and demos of quiet hours and digest windows); refused in production. */
  readonly clockOffsetMs?: number;
}

/**
 * - `SMTP_HOST` [127.0.0.1], `SMTP_PORT` [1025: the local Mailpit], `SMTP_SECURE` (`true`: implicit
 *   TLS), `SMTP_IGNORE_TLS` [true for 127.0.0.1], `SMTP_USER`/`SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_TIMEOUT_MS`,
 *   `SMTP_MAX_CONNECTIONS` [16: connections to the server, each sending one message at a time];
 * - `NOTIFICATIONS_DIRECTORY_URL` [http://127.0.0.1:3001], `NOTIFICATIONS_DIRECTORY_TOKEN`;
 * - `NOTIFICATIONS_APP_URL` [http://localhost:3000], `NOTIFICATIONS_DEFAULT_TIME_ZONE` [Europe/Stockholm];
 * - `NOTIFICATIONS_AUTHORITY_GROUP`, `NOTIFICATIONS_CONSUMER_GROUP`, `NOTIFICATIONS_DIRECTORY_GROUP`: Kafka groups (a second stack on
 *   the same brokers, or a test running the service beside others, needs its own);
 * - `NOTIFICATIONS_CLOCK_OFFSET_MS`: runs the service's clock ahead (a test that kills the service
 *   mid-digest-window restarts it past the window's end); refused when NODE_ENV=production.
 */
export function notificationsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationsEnvSettings {
  const host = env['SMTP_HOST'] || '127.0.0.1';
  const user = env['SMTP_USER'];
  const password = env['SMTP_PASSWORD'];
  if ((user && !password) || (!user && password)) throw new ConfigError('SMTP_USER and SMTP_PASSWORD go together');
  const group = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(value)) throw new ConfigError(`${name}=${value} must be a Kafka group id of letters, digits, '.', '_' or '-'`);
    return value;
  };
  const timeZone = env[`${PREFIX}_DEFAULT_TIME_ZONE`] || 'Europe/Stockholm';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(`${PREFIX}_DEFAULT_TIME_ZONE=${timeZone} is not an IANA time zone`);
  }
  const authorityGroup = group(`${PREFIX}_AUTHORITY_GROUP`);
  const consumerGroup = group(`${PREFIX}_CONSUMER_GROUP`);
  const directoryGroup = group(`${PREFIX}_DIRECTORY_GROUP`);
  const directoryToken = env[`${PREFIX}_DIRECTORY_TOKEN`];
  const offset = env[`${PREFIX}_CLOCK_OFFSET_MS`];
  if (offset && env['NODE_ENV'] === 'production') throw new ConfigError(`${PREFIX}_CLOCK_OFFSET_MS is for tests and demos; it is refused in production`);
  if (offset && !/^-?\d{1,12}$/.test(offset)) throw new ConfigError(`${PREFIX}_CLOCK_OFFSET_MS=${offset} must be an integer number of milliseconds`);
  return {
    smtp: {
      host,
      port: intFromEnv(env, 'SMTP_PORT', 1025, 65_535),
      secure: env['SMTP_SECURE'] === 'true',
      ignoreTls: env['SMTP_IGNORE_TLS'] ? env['SMTP_IGNORE_TLS'] === 'true' : host === '127.0.0.1' || host === 'localhost',
      ...(user && password ? { auth: { user, pass: password } } : {}),
      from: env['SMTP_FROM'] || 'Leadership platform <notifications@leadership.local>',
      timeoutMs: intFromEnv(env, 'SMTP_TIMEOUT_MS', 10_000, 120_000),
      maxConnections: intFromEnv(env, 'SMTP_MAX_CONNECTIONS', 16, 100),
    },
    directoryUrl: env[`${PREFIX}_DIRECTORY_URL`] || 'http://127.0.0.1:3001',
    ...(directoryToken ? { directoryToken } : {}),
    appUrl: env[`${PREFIX}_APP_URL`] || 'http://localhost:3000',
    defaultTimeZone: timeZone,
    ...(authorityGroup ? { authorityGroup } : {}),
    ...(consumerGroup ? { consumerGroup } : {}),
    ...(directoryGroup ? { directoryGroup } : {}),
    ...(offset ? { clockOffsetMs: Number(offset) } : {}),
  };
}
