import { eventually, TcpOutageProxy, testInfra } from '@leadership/testing';
import { DelegationTestStack, proposal } from './test/delegation-test-stack';

/*
 * The freshness rule through a MongoDB outage (issue #11, item 1): a mandate is active, the read
 * model's database goes away, the manager revokes (the event store is local, so the command
 * succeeds) — and from then on no authority answer may say `allowed: true`. Authority now is
 * answered from the local event store, so it says `allowed: false` at once, outage or not; what
 * only the read model knows (a question about an earlier time, the mandate list) is refused with
 * 503 + Retry-After while the projector cannot apply the revocation; once the database is back,
 * the projector resumes by itself and those answer again.
 */
describe('authority answers through a MongoDB outage (e2e)', () => {
  const proxy = TcpOutageProxy.for(testInfra().mongo.uri, 27017, { holdPort: true });
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
    await proxy.close();
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

    // During the outage: authority now comes from the event store, where the revocation is.
    const during: { status: number; allowed: unknown }[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await check();
      during.push({ status: res.status, allowed: res.body.allowed });
    }
    expect(during).toEqual(during.map(() => ({ status: 200, allowed: false })));
    // What only the read model answers is refused, never answered from a copy without the revocation.
    const asOf = (at: string) => stack.call(anna, 'get', `/authority/check?personId=anna&authority=cases.assign&unitId=claims&queueId=queue-1&at=${encodeURIComponent(at)}`);
    const beforeRevoke = new Date(Date.parse(String(revoked.body.endedAt)) - 1).toISOString();
    const historic = await asOf(beforeRevoke);
    expect({ status: historic.status, retryAfter: historic.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '1' });
    const list = await stack.call(manager, 'get', '/mandates?unitId=claims');
    expect({ status: list.status, retryAfter: list.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '1' });
    const health = await stack.call(anna, 'get', '/health');
    expect(health.status).toBe(503);

    await proxy.start();
    outage = false;
    const after = await eventually(async () => {
      const res = await asOf(beforeRevoke);
      return res.status === 200 ? res : undefined;
    }, { what: 'an answer from the read model once MongoDB is back', timeoutMs: 150_000 });
    // Just before the revocation the mandate was in force; now it is not.
    expect(after.body).toMatchObject({ allowed: true, mandateId: id });
    expect((await check()).body).toMatchObject({ allowed: false, mandateId: id });
  }, 240_000);
});
