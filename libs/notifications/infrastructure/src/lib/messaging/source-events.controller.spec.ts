import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { SourceEventsController } from './source-events.controller';

/*
 * One Kafka consumer runs one handler per topic (CloudEventsKafkaServer refuses two at start-up, and
 * the service would not start): contracts that share a topic are listed on one handler.
 */
describe('source events controller', () => {
  it('has one handler per topic', () => {
    const prototype = SourceEventsController.prototype as unknown as Record<string, unknown>;
    const topics = Object.getOwnPropertyNames(prototype)
      .map((name) => prototype[name])
      .filter((method): method is object => typeof method === 'function')
      .flatMap((method) => (Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined) ?? []);
    expect(topics.length).toBeGreaterThanOrEqual(7);
    expect(new Set(topics).size).toBe(topics.length);
  });
});
