import { eventually, TcpOutageProxy, testInfra } from '@leadership/testing';
import { DelegationTestStack, proposal } from './test/delegation-test-stack';

/*
 * The freshness rule through a MongoDB outage (issue #11, item 1): a mandate is active, the read
 * model's database goes away, the manager revokes (the event store is local, so the command
 * succeeds) — and from then on no authority answer may say `allowed: true`. While the projector
 * cannot apply the revocation the service refuses with 503 + Retry-After; once the database is
 * back, the projector resumes by itself and the answer is `allowed: false`.
 */
describe('authority answers through a MongoDB outage (e2e)', () => {
  const proxy = TcpOutageProxy.for(testInfra().mongo.uri, 27017);
  let stack: DelegationTestStack;
  let admin: string;
  let manager: string;
  let anna: string;

  beforeAll(async () => {
    await proxy.start();
    stack = new DelegationTestStack({ mongoUri: `mongodb://127.0.0.1:${proxy.port}/?directConnection=true&serverSelectionTimeoutMS=2000` });
    await stack.start();
    [admin, manager, anna] = await Promise.all([stack.token('hr-system', ['admin']), stack.token('manager-1'), stack.token('anna')]);
    expect((await stack.call(admin, 'put', '/directory/units/claims', { name: 'Claims', parentId: null, managerIds: ['manager-1'] })).status).toBe(201);
    for (const id of ['anna', 'manager-1']) {
      expect((await stack.call(admin, 'put', `/directory/people/${id}`, { displayName: id, email: `${id}@example.test`, locale: 'en-GB', unitIds: ['claims'] })).status).toBe(201);
    }
  });

  let outage = false;
  afterAll(async () => {
    // End an outage a failed assertion left open, so the service can stop cleanly.
    if (outage) await proxy.start();
    await stack.stop();
    await proxy.stop();
  });

  const check = () => stack.call(anna, 'get', '/authority/check?personId=anna&authority=cases.assign&unitId=claims&queueId=queue-1');

  it('never answers allowed: true after a revocation the read model could not apply yet, and recovers by itself', async () => {
    // Active at acceptance: the period started a moment ago.
    const proposed = await stack.call(manager, 'post', '/mandates', proposal('anna', 'claims', { period: { from: new Date(Date.now() - 1000).toISOString(), until: new Date(Date.now() + 86_400_000).toISOString() } }));
    expect(proposed.status).toBe(201);
    const id: string = proposed.body.mandateId;
    const accepted = await stack.call(anna, 'post', `/mandates/${id}/accept`, undefined, { 'If-Match': '"0"' });
    expect(accepted.status).toBe(200);
    await eventually(async () => ((await check()).body.allowed === true ? true : undefined), { what: 'allowed while active', timeoutMs: 15_000 });

    await proxy.stop();
    outage = true;
    const revoked = await stack.call(manager, 'post', `/mandates/${id}/revoke`, { reason: 'Reorganisation' }, { 'If-Match': String(accepted.headers['etag']) });
    expect(revoked.status).toBe(200);

    // During the outage: every answer is a refusal to answer, never the stale "allowed".
    const during: { status: number; allowed: unknown; retryAfter: unknown }[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await check();
      during.push({ status: res.status, allowed: res.body.allowed, retryAfter: res.headers['retry-after'] });
    }
    expect(during).toEqual(during.map(() => ({ status: 503, allowed: undefined, retryAfter: '1' })));
    const health = await stack.call(anna, 'get', '/health');
    expect(health.status).toBe(503);

    await proxy.start();
    outage = false;
    const after = await eventually(async () => {
      const res = await check();
      return res.status === 200 ? res : undefined;
    }, { what: 'an answer once MongoDB is back', timeoutMs: 60_000 });
    expect(after.body).toMatchObject({ allowed: false });
  }, 120_000);
});
