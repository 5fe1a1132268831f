import { Body, Controller, Get, Module, Param, Post, Query, type INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { MandateChanged } from '@leadership/delegation-contracts';
import { createHttpService, issueDevToken, PlatformModule } from '@leadership/platform-nest';
import type { AuthorityFreshness } from '../projection/authority-freshness';
import { AuthorityProjection } from '../projection/authority.projection';
import { InMemoryAuthorityStore } from '../projection/in-memory-authority.store';
import { AuthorityStamp, type MandateStamp } from './authority-stamp.decorator';
import { AuthorityModule } from './authority.module';
import { RequireAuthority } from './require-authority.decorator';

const keyFile = join(mkdtempSync(join(tmpdir(), 'authority-guard-')), 'dev-issuer.json');
const example = MandateChanged.examples[0]!;
// The example mandate: person-anna may assign cases in unit-claims / queue-motor during the first half of 2026.
const { mandateId } = example;

@Controller('units/:unitId')
class CasesController {
  @Post('cases/assignments')
  @RequireAuthority('cases.assign', { unitFrom: 'params.unitId', queueFrom: 'body.queueId' })
  assign(@Param('unitId') _unitId: string, @Body() _body: unknown, @AuthorityStamp() stamp: MandateStamp) {
    return { assigned: true, stamp };
  }
}

@Controller('cases')
class QueryController {
  @Get('overview')
  @RequireAuthority('cases.view-all', { unitFrom: 'query.unitId', queueFrom: 'query.queueId' })
  overview(@Query() _query: unknown, @AuthorityStamp() stamp: MandateStamp) {
    return { stamp };
  }

  @Post('priorities')
  @RequireAuthority('cases.prioritise', { unitFrom: 'body.unitId', projectFrom: 'body.projectId' })
  prioritise(@AuthorityStamp() stamp: MandateStamp) {
    return { stamp };
  }
}

describe('@RequireAuthority and @AuthorityStamp (guard over the local projection)', () => {
  // 2026-03-01: inside the example mandate's period.
  const projection = new AuthorityProjection(new InMemoryAuthorityStore(), { now: () => new Date('2026-03-01T00:00:00.000Z') });
  let app: INestApplication;
  let anna: string;
  let manager: string;
  let bob: string;

  @Module({
    imports: [PlatformModule.forRoot({ serviceName: 'authority-guard-test', auth: { mode: 'dev', keyFile } }), AuthorityModule.forProjection(projection)],
    controllers: [CasesController, QueryController],
  })
  class TestModule {}

  beforeAll(async () => {
    // One after the other: the first call creates the issuer key that the others must share.
    anna = await issueDevToken({ sub: 'person-anna', keyFile });
    manager = await issueDevToken({ sub: 'person-manager-1', keyFile });
    bob = await issueDevToken({ sub: 'person-bob', keyFile });
    app = await createHttpService(TestModule, { serviceName: 'authority-guard-test', title: 't', description: 'd', version: '1' });
    await app.init();
  });
  afterAll(() => app.close());

  const assign = (token: string | undefined, unitId: string, body: object) => {
    const req = request(app.getHttpServer()).post(`/units/${unitId}/cases/assignments`);
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };

  // First, before the projection is loaded (as during a service's start-up).
  it('answers 503 problem+json while the projection is not loaded', async () => {
    const res = await assign(anna, 'unit-claims', { queueId: 'queue-motor' });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
  });

  describe('once loaded', () => {
    beforeAll(async () => {
      await projection.load();
      await projection.applyUnitChanged({ unitId: 'unit-claims', version: 0, name: 'Claims', parentId: null, managerIds: ['person-manager-1'], removedManagerIds: [], occurredAt: '2026-01-01T00:00:00.000Z' });
      await projection.applyMandateChanged({ ...example, version: 2 });
    });

    it('lets a delegate act within the mandate and hands the handler the mandate stamp', async () => {
      const res = await assign(anna, 'unit-claims', { queueId: 'queue-motor' });
      expect(res.status).toBe(201);
      expect(res.body.stamp).toEqual({
        actorId: 'person-anna',
        authority: 'cases.assign',
        unitId: 'unit-claims',
        queueId: 'queue-motor',
        at: '2026-03-01T00:00:00.000Z',
        basis: 'mandate',
        mandateId,
        mandateVersion: 2,
      } satisfies MandateStamp);
    });

    it('stamps a formal manager with basis formal-manager and no mandate', async () => {
      const res = await assign(manager, 'unit-claims', { queueId: 'queue-home' });
      expect(res.status).toBe(201);
      expect(res.body.stamp).toMatchObject({ actorId: 'person-manager-1', basis: 'formal-manager', mandateId: null, mandateVersion: null });
    });

    it('answers 403 problem+json with the reason outside the mandate (other queue, other person, authority not granted)', async () => {
      const otherQueue = await assign(anna, 'unit-claims', { queueId: 'queue-home' });
      expect(otherQueue.status).toBe(403);
      expect(otherQueue.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(otherQueue.body).toMatchObject({
        status: 403,
        title: 'Forbidden',
        detail: expect.stringMatching(/person-anna is no formal manager of unit-claims/),
        authority: 'cases.assign',
        unitId: 'unit-claims',
        queueId: 'queue-home',
      });

      const stranger = await assign(bob, 'unit-claims', { queueId: 'queue-motor' });
      expect(stranger.status).toBe(403);

      const notGranted = await request(app.getHttpServer()).get('/cases/overview?unitId=unit-claims&queueId=queue-motor').set('Authorization', `Bearer ${anna}`);
      expect(notGranted.status).toBe(403);
      expect(notGranted.body.detail).toMatch(/cases\.view-all/);
    });

    it('names the mandate that would have granted it when it is not in force', async () => {
      await projection.applyMandateChanged({
        ...example,
        version: 3,
        change: 'revoked',
        mandate: { ...example.mandate, status: 'ended', endedAt: '2026-02-15T00:00:00.000Z', endReason: 'revoked' },
      });
      const res = await assign(anna, 'unit-claims', { queueId: 'queue-motor' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ detail: expect.stringMatching(/revoked/), mandateId, mandateVersion: 3 });
    });

    it('reads the scope from the query string and the body', async () => {
      const fromQuery = await request(app.getHttpServer()).get('/cases/overview?unitId=unit-claims').set('Authorization', `Bearer ${manager}`);
      expect(fromQuery.status).toBe(200);
      expect(fromQuery.body.stamp).toMatchObject({ authority: 'cases.view-all', unitId: 'unit-claims' });
      expect(fromQuery.body.stamp).not.toHaveProperty('queueId');

      const fromBody = await request(app.getHttpServer())
        .post('/cases/priorities')
        .set('Authorization', `Bearer ${manager}`)
        .send({ unitId: 'unit-claims', projectId: 'project-1' });
      expect(fromBody.status).toBe(201);
      expect(fromBody.body.stamp).toMatchObject({ authority: 'cases.prioritise', unitId: 'unit-claims', projectId: 'project-1' });
    });

    it('answers 400 when the unit is missing or not an id, and 401 without a token, before asking the projection', async () => {
      const missing = await request(app.getHttpServer()).post('/cases/priorities').set('Authorization', `Bearer ${manager}`).send({});
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([{ path: 'body.unitId', message: expect.stringMatching(/required/) }]);

      const notAString = await request(app.getHttpServer()).post('/cases/priorities').set('Authorization', `Bearer ${manager}`).send({ unitId: { $ne: null } });
      expect(notAString.status).toBe(400);

      const listInQuery = await request(app.getHttpServer()).get('/cases/overview?unitId=a&unitId=b').set('Authorization', `Bearer ${manager}`);
      expect(listInQuery.status).toBe(400);

      expect((await assign(undefined, 'unit-claims', { queueId: 'queue-motor' })).status).toBe(401);
    });

    // Last: from here on the projection is measured by a stand-in for its consumer.
    describe('under the freshness rule', () => {
      let freshness: AuthorityFreshness = { fresh: true, stalenessMs: 120, boundMs: 1000, caughtUpAt: '2026-03-01T00:00:00.000Z', reason: null };
      beforeAll(() => projection.trackFreshness({ freshness: () => freshness }));

      it('grants while the projection is within the bound', async () => {
        expect((await assign(manager, 'unit-claims', { queueId: 'queue-motor' })).status).toBe(201);
      });

      it('answers 503 with Retry-After instead of a grant past the bound, saying how far behind and why', async () => {
        freshness = {
          fresh: false,
          stalenessMs: 4200,
          boundMs: 1000,
          caughtUpAt: '2026-02-28T23:59:55.800Z',
          reason: 'the brokers did not answer the catch-up check: Connection error',
        };
        const res = await assign(manager, 'unit-claims', { queueId: 'queue-motor' });
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.body).toMatchObject({ status: 503, stalenessMs: 4200, boundMs: 1000, caughtUpAt: '2026-02-28T23:59:55.800Z' });
        expect(res.body.detail).toMatch(/4200 ms behind the delegation event store, more than the 1000 ms .*brokers did not answer the catch-up check/);
      });

      it('still answers a denial from the stale projection (a stale "no" grants nothing)', async () => {
        freshness = { fresh: false, stalenessMs: null, boundMs: 1000, caughtUpAt: null, reason: 'the consumer is stopped; it applies nothing any more' };
        const res = await assign(bob, 'unit-claims', { queueId: 'queue-motor' });
        expect(res.status).toBe(403);
      });
    });
  });
});
