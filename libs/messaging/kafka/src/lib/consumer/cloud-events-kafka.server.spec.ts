import { Controller, Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { mandateGranted, mandateRevoked } from '../../test/sample-contracts';
import { silentMessagingLogger } from '../shared/messaging-logger';
import { CloudEventsKafkaServer } from './cloud-events-kafka.server';
import { IntegrationEventHandler } from './integration-event-handler.decorator';

/*
 * What the server refuses before it connects (no broker involved: these fail in listen, before
 * the first connection attempt). Consumption itself is proven on the real broker in
 * int/cloud-events-kafka-server.int.spec.ts.
 */
const OTHER_CONSUMER = Symbol('other consumer');

function server(transportId?: symbol): CloudEventsKafkaServer {
  return new CloudEventsKafkaServer({
    group: 'unit.consumer',
    kafka: new Kafka({ clientId: 'unit', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
    dedupe: { by: 'aggregate-version' },
    metrics: new Registry(),
    logger: silentMessagingLogger,
    ...(transportId ? { transportId } : {}),
  });
}

async function start(strategy: CloudEventsKafkaServer, controllers: Type[]): Promise<INestApplication> {
  @Module({ controllers })
  class UnitModule {}
  const app = await NestFactory.create(UnitModule, { logger: false });
  app.connectMicroservice({ strategy });
  await app.init();
  return app;
}

@Controller()
class UntypedController {
  @EventPattern('leadership.delegation.mandates.v1')
  onAnything(@Payload() _data: unknown): void {
    // no contract: refused
  }
}

@Controller()
class SplitController {
  @IntegrationEventHandler(mandateGranted)
  onGranted(@Payload() _event: CloudEventOf<typeof mandateGranted>): void {
    // one of two handlers for the same topic: refused
  }
  @IntegrationEventHandler(mandateRevoked)
  onRevoked(@Payload() _event: CloudEventOf<typeof mandateRevoked>): void {
    // second handler for the same topic
  }
}

@Controller()
class OtherConsumerController {
  @IntegrationEventHandler([mandateGranted, mandateRevoked], { consumer: OTHER_CONSUMER })
  onMandate(@Payload() _event: CloudEventOf<typeof mandateGranted | typeof mandateRevoked>): void {
    // registered on the other consumer only
  }
}

describe('CloudEventsKafkaServer: handler checks at start', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('refuses a plain @EventPattern without a contract', async () => {
    app = await start(server(), [UntypedController]);
    await expect(app.startAllMicroservices()).rejects.toThrow(/declares no integration event contract; use @IntegrationEventHandler/);
  });

  it('refuses two handlers for one topic on one consumer', async () => {
    app = await start(server(), [SplitController]);
    await expect(app.startAllMicroservices()).rejects.toThrow(/two handlers for leadership\.delegation\.mandates\.v1/);
  });

  it("does not register another consumer's handlers on the service's consumer", async () => {
    // OtherConsumerController's handler belongs to OTHER_CONSUMER; the service's consumer
    // (Transport.KAFKA) is left without any. (Registration on its own consumer: the authority int test.)
    app = await start(server(), [OtherConsumerController]);
    await expect(app.startAllMicroservices()).rejects.toThrow(/unit\.consumer: no @IntegrationEventHandler registered/);
  });

  it('refuses, when decorating, contracts of different topics on one handler', () => {
    const elsewhere = { ...mandateRevoked, topic: 'leadership.delegation.other.v1' } as typeof mandateRevoked;
    expect(() => IntegrationEventHandler([mandateGranted, elsewhere])).toThrow(/must share a topic/);
  });
});
