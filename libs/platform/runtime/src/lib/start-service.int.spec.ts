import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { PlatformModule, Public } from '@leadership/platform-nest';
import { isolatedMongoUri, testInfra, uniqueName } from '@leadership/testing';
import { infrastructureHealthChecks, startService, type RunningService, type ServiceWorker } from './start-service';

@Controller('ping')
class PingController {
  @Public()
  @Get()
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/* On the real stack: a service started by the runtime answers, reports its dependencies, and stops in order. */
describe('startService', () => {
  jest.setTimeout(60_000);
  let service: RunningService | undefined;
  afterEach(async () => service?.close());

  it('opens store and database, starts workers around the HTTP server and stops them in the reverse order', async () => {
    const events: string[] = [];
    const worker = (name: string): ServiceWorker => ({
      name,
      start: async () => void events.push(`start ${name}`),
      stop: async () => void events.push(`stop ${name}`),
    });
    const mongo = isolatedMongoUri('runtime');
    const topic = uniqueName('leadership.runtime.things.v1');
    service = await startService({
      config: {
        serviceName: 'runtime-test',
        host: '127.0.0.1',
        port: 0,
        eventStore: { kind: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'runtime-')), 'events.sqlite') },
        mongoUri: mongo.uri,
        mongoDb: mongo.dbName,
        kafkaBrokers: testInfra().kafka.brokers,
      },
      compose: (infrastructure) => ({
        httpModule: {
          module: PingModule,
          imports: [PlatformModule.forRoot({ serviceName: 'runtime-test', healthChecks: { useFactory: () => infrastructureHealthChecks(infrastructure) } })],
        },
        http: { title: 'runtime test', description: 'a service started by the runtime', version: '0.0.0' },
        foundation: [worker('projector')],
        background: [worker('relay'), worker('scheduler')],
        topics: [{ topic, cleanupPolicy: 'delete' }],
      }),
    });

    expect(await (await fetch(`${service.url}/ping`)).json()).toEqual({ ok: true });
    const health = (await (await fetch(`${service.url}/health`)).json()) as { status: string; info: Record<string, { status: string }> };
    expect(health.status).toBe('ok');
    expect(Object.keys(health.info).sort()).toEqual(['event-store', 'mongodb']);
    const admin = service.infrastructure.kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(topic);
    await admin.disconnect();

    await service.close();
    expect(events).toEqual(['start projector', 'start relay', 'start scheduler', 'stop scheduler', 'stop relay', 'stop projector']);
    await expect(fetch(`${service.url}/ping`)).rejects.toThrow();
    service = undefined;
  });

  it('closes what it opened when a part fails to start, and rethrows', async () => {
    const mongo = isolatedMongoUri('runtime');
    const stopped: string[] = [];
    await expect(
      startService({
        config: {
          serviceName: 'runtime-test',
          host: '127.0.0.1',
          port: 0,
          eventStore: { kind: 'sqlite', file: ':memory:' },
          mongoUri: mongo.uri,
          mongoDb: mongo.dbName,
          kafkaBrokers: testInfra().kafka.brokers,
        },
        compose: () => ({
          httpModule: { module: PingModule },
          http: { title: 't', description: 'd', version: '0' },
          foundation: [
            { name: 'ok', start: async () => undefined, stop: async () => void stopped.push('ok') },
            { name: 'broken', start: () => Promise.reject(new Error('cannot start')), stop: async () => void stopped.push('broken') },
          ],
        }),
      }),
    ).rejects.toThrow('cannot start');
    expect(stopped).toEqual(['ok']);
  });
});
