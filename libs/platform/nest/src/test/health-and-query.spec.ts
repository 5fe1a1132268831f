import { Controller, Get, Module, Query, type INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { z } from 'zod';
import { ApiQueryFrom, createHttpService, issueDevToken, PlatformModule, ZodValidationPipe } from '../index';

const keyFile = join(mkdtempSync(join(tmpdir(), 'platform-health-')), 'dev-issuer.json');
const never = () => new Promise<void>(() => undefined);
const Search = z.strictObject({ limit: z.coerce.number().int().max(10).optional() });

@Controller()
class SearchController {
  @Get('search')
  @ApiQueryFrom(Search)
  search(@Query(new ZodValidationPipe(Search, 'query')) query: z.infer<typeof Search>) {
    return query;
  }
}

@Module({
  imports: [
    PlatformModule.forRoot({
      serviceName: 'health-test',
      auth: { mode: 'dev', keyFile },
      healthChecks: {
        useFactory: () => [
          { name: 'fast', check: async () => ({ lag: 0 }) },
          // A dependency that does not answer (a database whose driver waits for its server selection timeout).
          { name: 'hanging', check: never, timeoutMs: 150 },
        ],
      },
    }),
  ],
  controllers: [SearchController],
})
class HealthModule {}

describe('GET /health with a dependency that does not answer; query parameters', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createHttpService(HealthModule, { serviceName: 'health-test', title: 't', description: 'd', version: '1' });
    await app.init();
  });
  afterAll(() => app.close());

  it('answers 503 within the check’s bound, naming the check that did not answer and showing the others', async () => {
    const started = Date.now();
    const res = await request(app.getHttpServer()).get('/health');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(res.status).toBe(503);
    expect(res.body.details.fast).toEqual({ status: 'up', lag: 0 });
    expect(res.body.error.hanging).toEqual({ status: 'down', message: 'no answer within 150 ms' });
  });

  it('names a bad query parameter (or the query string) in errors, not the body', async () => {
    const token = await issueDevToken({ sub: 'person-1', keyFile });
    const unknown = await request(app.getHttpServer()).get('/search?foo=1').set('Authorization', `Bearer ${token}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: '(query)', message: 'Unrecognized key: "foo"' }]);
    const big = await request(app.getHttpServer()).get('/search?limit=11').set('Authorization', `Bearer ${token}`);
    expect(big.body.errors).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it('documents a query schema\'s parameters in the OpenAPI document (ApiQueryFrom)', async () => {
    const docs = await request(app.getHttpServer()).get('/docs-json');
    expect(docs.body.paths['/search'].get.parameters).toEqual([expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', maximum: 10 }) })]);
  });
});
