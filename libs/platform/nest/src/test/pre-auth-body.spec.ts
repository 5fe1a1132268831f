import { Body, Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHttpService, issueDevToken, PlatformModule, Public } from '../index';

/*
 * Issue #11 item 3: a 17 KB gzip body that inflates to 18 MB was inflated and parsed before the
 * auth guard answered 401. Here the requests send their headers and never their body: a server
 * that reads (let alone inflates) a body before authenticating cannot answer them at all, so an
 * answer proves the body was not read. The handlers count how often they ran.
 */
const keyFile = join(mkdtempSync(join(tmpdir(), 'pre-auth-body-')), 'dev-issuer.json');
const handled = { imports: 0, notes: 0, hooks: 0 };

@Controller()
class BodyController {
  @Post('imports')
  import(@Body() body: { rows?: unknown[] }) {
    handled.imports++;
    return { rows: body.rows?.length ?? 0 };
  }

  @Post('notes')
  note(@Body() body: unknown) {
    handled.notes++;
    return { received: typeof body };
  }

  @Public()
  @Post('hooks/:source')
  hook(@Body() body: unknown) {
    handled.hooks++;
    return { received: typeof body };
  }
}

@Module({ imports: [PlatformModule.forRoot({ serviceName: 'pre-auth-body', auth: { mode: 'dev', keyFile } })], controllers: [BodyController] })
class TestModule {}

/** 18 MB of JSON that gzips to a few KB. */
const bomb = gzipSync(Buffer.from(JSON.stringify({ rows: ['x'.repeat(18 * 1024 * 1024)] })), { level: 9 });

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Sends the request line and headers (announcing `declaredLength` body bytes) but no body, and
 * waits for the answer. A server that waits for the body never answers: the test then fails on
 * its timeout rather than passing.
 */
function headersOnly(port: number, path: string, headers: Record<string, string>, declaredLength: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { ...headers, 'Content-Length': String(declaredLength) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('bodies are read only after authentication', () => {
  let app: INestApplication;
  let port: number;
  let token: string;

  beforeAll(async () => {
    token = await issueDevToken({ sub: 'person-1', keyFile });
    app = await createHttpService(TestModule, { serviceName: 'pre-auth-body', title: 't', description: 'd', version: '1', bodyLimit: '1kb', bodyLimits: { '/imports': '20mb' } });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());
  beforeEach(() => {
    handled.imports = handled.notes = handled.hooks = 0;
  });

  it('answers a gzip bomb without a token with 401 before its body is sent', async () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    const answer = await headersOnly(port, '/imports', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, bomb.length);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401, instance: '/imports' });
    expect(handled.imports).toBe(0);
  });

  it('answers a bad token with 401 before the body is sent', async () => {
    const answer = await headersOnly(port, '/imports', { 'Content-Type': 'application/json', Authorization: 'Bearer not-a-jwt' }, 10 * 1024 * 1024);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).detail).toBe('token is not a JWT');
    expect(handled.imports).toBe(0);
  });

  it('answers a compressed body of an authenticated caller with 415 before it is sent', async () => {
    const answer = await headersOnly(port, '/imports', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: `Bearer ${token}` }, bomb.length);
    expect(answer.status).toBe(415);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body).detail).toMatch(/Content-Encoding "gzip" is not accepted/);
    expect(handled.imports).toBe(0);
  });

  it('refuses every compressed encoding, also on public routes', async () => {
    for (const encoding of ['deflate', 'br', 'gzip, identity']) {
      const answer = await headersOnly(port, '/hooks/hr', { 'Content-Type': 'application/json', 'Content-Encoding': encoding }, 100);
      expect(answer.status).toBe(415);
    }
    expect(handled.hooks).toBe(0);
  });

  it('parses the body of an authenticated caller within the route limit', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `row-${i}`);
    const ok = await fetch(`http://127.0.0.1:${port}/imports`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ rows }) });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ rows: 20_000 });
    const tooLarge = await fetch(`http://127.0.0.1:${port}/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ text: 'x'.repeat(2048) }) });
    expect(tooLarge.status).toBe(413);
    expect(handled).toEqual({ imports: 1, notes: 0, hooks: 0 });
  });

  it('reads the body of a public route without a token, and answers unknown routes without a token with 401', async () => {
    const hook = await fetch(`http://127.0.0.1:${port}/hooks/hr`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"event":"hired"}' });
    expect(hook.status).toBe(201);
    expect(handled.hooks).toBe(1);
    const unknown = await headersOnly(port, '/nowhere', { 'Content-Type': 'application/json' }, 1024);
    expect(unknown.status).toBe(401);
  });
});
