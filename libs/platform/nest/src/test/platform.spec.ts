import { Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import {
  createHttpService,
  CurrentActor,
  issueDevToken,
  PlatformModule,
  Public,
  RequireRoles,
  ZodBody,
  type Actor,
} from '../index';

const keyFile = join(mkdtempSync(join(tmpdir(), 'platform-auth-')), 'dev-issuer.json');
const otherKeyFile = join(mkdtempSync(join(tmpdir(), 'platform-auth-')), 'dev-issuer.json');

const Greeting = z.strictObject({ name: z.string().min(1).max(50) });

class RuleBroken extends Error {
  readonly rule = 'greeting.no-shouting';
  readonly details = { name: 'BOB' };
}
class MongoServerSelectionError extends Error {
  override readonly name = 'MongoServerSelectionError';
}
class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  readonly expected = 1;
  readonly actual = 2;
}

@Controller()
class TestController {
  @Post('greetings')
  greet(@ZodBody(Greeting) body: z.infer<typeof Greeting>, @CurrentActor() actor: Actor) {
    if (body.name === body.name.toUpperCase()) throw new RuleBroken('no shouting');
    if (body.name === 'conflict') throw new WrongExpectedRevisionError('conflict');
    if (body.name === 'crash') throw new Error('secret internal detail');
    if (body.name === 'store-down') throw new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017');
    return { hello: body.name, by: actor.personId };
  }

  @RequireRoles('compliance')
  @Get('audit')
  audit() {
    return { ok: true };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }
}

@Module({
  imports: [
    PlatformModule.forRoot({
      serviceName: 'platform-test',
      auth: { mode: 'dev', keyFile },
      healthChecks: { useFactory: () => [{ name: 'always', check: async () => undefined }] },
    }),
  ],
  controllers: [TestController],
})
class TestModule {}

describe('platform HTTP conventions', () => {
  let app: INestApplication;
  let token: string;
  let complianceToken: string;

  beforeAll(async () => {
    token = await issueDevToken({ sub: 'person-1', roles: ['employee'], keyFile });
    complianceToken = await issueDevToken({ sub: 'auditor-1', roles: ['compliance'], keyFile });
    app = await createHttpService(TestModule, { serviceName: 'platform-test', title: 't', description: 'd', version: '1', bodyLimit: '1kb' });
    await app.init();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('answers 401 problem+json with a challenge without a token, and with a token of another issuer key', async () => {
    const res = await http().post('/greetings').send({ name: 'ada' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    const forged = await issueDevToken({ sub: 'intruder', roles: ['compliance'], keyFile: otherKeyFile });
    const res2 = await http().get('/audit').set('Authorization', `Bearer ${forged}`);
    expect(res2.status).toBe(401);
    expect(res2.body.detail).toMatch(/token rejected/);
  });

  it('accepts a valid token and passes the actor on', async () => {
    const res = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'ada' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ hello: 'ada', by: 'person-1' });
    expect(res.headers['x-correlation-id']).toBeTruthy();
  });

  it('rejects unknown fields and malformed JSON with 400 and field errors', async () => {
    const res = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'ada', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '(body)', message: expect.stringMatching(/admin/) })]);
    const bad = await http().post('/greetings').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"name":');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/not valid JSON/);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
  });

  it('maps rule errors to 422 naming the rule, and version conflicts to 409', async () => {
    const rule = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'BOB' });
    expect(rule.status).toBe(422);
    expect(rule.body).toMatchObject({ rule: 'greeting.no-shouting', details: { name: 'BOB' } });
    const conflict = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'conflict' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
  });

  it('hides internal errors behind a 500 with a correlation id', async () => {
    const res = await http().post('/greetings').set('Authorization', `Bearer ${token}`).set('x-correlation-id', 'corr-42').send({ name: 'crash' });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret/);
    expect(res.body.correlationId).toBe('corr-42');
  });

  it('answers 503 with Retry-After, not 500, while the MongoDB server does not answer (FerretDB stopped)', async () => {
    const res = await http().post('/greetings').set('Authorization', `Bearer ${token}`).send({ name: 'store-down' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ title: 'Service unavailable', status: 503 });
    expect(JSON.stringify(res.body)).not.toMatch(/27017/);
  });

  it('answers 403 with the reason when a role is missing', async () => {
    const res = await http().get('/audit').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/compliance/);
    const ok = await http().get('/audit').set('Authorization', `Bearer ${complianceToken}`);
    expect(ok.status).toBe(200);
  });

  it('serves 404 problems, health, metrics and OpenAPI without a token', async () => {
    expect((await http().get('/nowhere').set('Authorization', `Bearer ${token}`)).status).toBe(404);
    expect((await http().get('/open')).body).toEqual({ open: true });
    const health = await http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body.info.always.status).toBe('up');
    const metrics = await http().get('/metrics');
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/greetings"/);
    const docs = await http().get('/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/greetings', '/audit', '/health']));
  });
});
