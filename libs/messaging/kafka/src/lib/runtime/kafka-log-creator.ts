import type { LoggerService } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/** The part of a Nest logger (the platform's JsonLogger, or Nest's `Logger`) kafkajs logs go to. */
export type KafkaLogSink = Pick<LoggerService, 'log' | 'warn' | 'error'> & Partial<Pick<LoggerService, 'debug'>>;

/**
 * kafkajs logs as structured entries of the service's logger (context `kafkajs`), not in kafkajs's
 * own console format: one log stream per service, with the service name and correlation ids the
 * logger adds. kafkajs hands over `{ message, ...fields }` (broker, clientId, error, retry
 * counts…, never payloads); the message becomes `msg`, the fields stay fields. Use it with
 * `new Kafka({ logCreator: kafkaLogCreator(logger), logLevel: logLevel.WARN, … })`: the level
 * filter stays kafkajs's.
 */
export function kafkaLogCreator(logger: KafkaLogSink, context = 'kafkajs'): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const entry = { msg: message, ...(namespace ? { namespace } : {}), ...fields };
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(entry, context);
      else if (level === logLevel.WARN) logger.warn(entry, context);
      else if (level === logLevel.DEBUG && logger.debug) logger.debug(entry, context);
      else logger.log(entry, context);
    };
}
