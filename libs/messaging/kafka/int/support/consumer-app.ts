import { Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CloudEventsKafkaServer } from '@leadership/messaging-kafka';

/**
 * A tiny Nest application as a service would be: the given controllers, the consumer attached
 * with `app.connectMicroservice({ strategy })`, started with `startAllMicroservices()`.
 */
export async function startConsumerApp(server: CloudEventsKafkaServer, controllers: Type[]): Promise<INestApplication> {
  @Module({ controllers })
  class ConsumerTestModule {}
  const app = await NestFactory.create(ConsumerTestModule, { logger: false });
  app.connectMicroservice({ strategy: server });
  await app.init();
  await app.startAllMicroservices();
  return app;
}
