import { Kafka, logLevel } from 'kafkajs';
import { kafkaLogCreator, type KafkaLogSink } from './kafka-log-creator';

class RecordingSink implements KafkaLogSink {
  readonly entries: { level: string; message: unknown; context: string | undefined }[] = [];
  log(message: unknown, context?: string): void {
    this.entries.push({ level: 'log', message, context });
  }
  warn(message: unknown, context?: string): void {
    this.entries.push({ level: 'warn', message, context });
  }
  error(message: unknown, context?: string): void {
    this.entries.push({ level: 'error', message, context });
  }
}

describe('kafkaLogCreator', () => {
  it("writes kafkajs's own log calls as structured entries of the service logger, by level", () => {
    const sink = new RecordingSink();
    // Never connected: only its logger is used.
    const kafka = new Kafka({ clientId: 'svc', brokers: ['127.0.0.1:1'], logLevel: logLevel.INFO, logCreator: kafkaLogCreator(sink) });
    const logger = kafka.logger().namespace('Consumer');
    logger.info('Starting', { groupId: 'g-1' });
    logger.warn('Retrying', { retryCount: 2 });
    logger.error('Crash', { error: 'ECONNREFUSED' });
    logger.debug('below the level: dropped by kafkajs', {});

    expect(sink.entries).toEqual([
      { level: 'log', context: 'kafkajs', message: expect.objectContaining({ msg: 'Starting', namespace: 'Consumer', groupId: 'g-1' }) },
      { level: 'warn', context: 'kafkajs', message: expect.objectContaining({ msg: 'Retrying', namespace: 'Consumer', retryCount: 2 }) },
      { level: 'error', context: 'kafkajs', message: expect.objectContaining({ msg: 'Crash', namespace: 'Consumer', error: 'ECONNREFUSED' }) },
    ]);
    // The message is not duplicated under kafkajs's own key.
    expect(sink.entries[0]?.message).not.toHaveProperty('message');
  });

  it('uses the debug level of the logger when it has one, and the given context', () => {
    const debugged: unknown[] = [];
    const sink = Object.assign(new RecordingSink(), { debug: (message: unknown) => debugged.push(message) });
    const kafka = new Kafka({ clientId: 'svc', brokers: ['127.0.0.1:1'], logLevel: logLevel.DEBUG, logCreator: kafkaLogCreator(sink, 'relay-kafka') });
    kafka.logger().debug('Request Metadata', { broker: '127.0.0.1:1' });
    kafka.logger().info('Connected', {});
    expect(debugged).toEqual([expect.objectContaining({ msg: 'Request Metadata', broker: '127.0.0.1:1' })]);
    expect(sink.entries).toEqual([{ level: 'log', context: 'relay-kafka', message: expect.objectContaining({ msg: 'Connected' }) }]);
  });
});
