import { openReadOnlyEventStore } from '@leadership/platform-runtime';
import { mandatesAsOf, may, type MandateEvent } from '@leadership/delegation-domain';
import { eventually, testInfra, uniqueName } from '@leadership/testing';
import { Kafka, logLevel } from 'kafkajs';
import { DelegationTestStack, proposal } from './test/delegation-test-stack';

/*
 * The delegation service over HTTP on the real local stack: SQLite event store file,
 * FerretDB (or MongoDB) read model, dev-issuer bearer tokens.
 */
describe('delegation service (e2e)', () => {
  const stack = new DelegationTestStack();
  let admin: string;
  let manager: string;
  let anna: string;
  let bob: string;
  let compliance: string;

  beforeAll(async () => {
    await stack.start();
    [admin, manager, anna, bob, compliance] = await Promise.all([
      stack.token('hr-system', ['admin']),
      stack.token('manager-1'),
      stack.token('anna'),
      stack.token('bob'),
      stack.token('auditor', ['compliance']),
    ]);
    expect((await stack.call(admin, 'put', '/directory/units/claims', { name: 'Claims', parentId: null, managerIds: ['manager-1'] })).status).toBe(201);
    for (const id of ['anna', 'bob', 'manager-1']) {
      const res = await stack.call(admin, 'put', `/directory/people/${id}`, { displayName: id, email: `${id}@example.test`, locale: 'de-DE', unitIds: ['claims'] });
      expect(res.status).toBe(201);
    }
  });

  afterAll(() => stack.stop());

  const propose = (token: string, body: object, headers: Record<string, string> = {}) => stack.call(token, 'post', '/mandates', body, headers);
  const check = (token: string, personId: string, at?: string) =>
    stack.call(token, 'get', `/authority/check?personId=${personId}&authority=cases.assign&unitId=claims&queueId=queue-1${at ? `&at=${encodeURIComponent(at)}` : ''}`);

  it('propose → accept → active → allowed → revoke → denied, and as-of answers agree with a fold of the history', async () => {
    const proposed = await propose(manager, proposal('anna', 'claims'));
    expect(proposed.status).toBe(201);
    expect(proposed.headers['location']).toBe(`/mandates/${proposed.body.mandateId}`);
    expect(proposed.headers['etag']).toBe('"0"');
    const id: string = proposed.body.mandateId;
    expect((await check(anna, 'anna')).body).toMatchObject({ allowed: false });

    const accepted = await stack.call(anna, 'post', `/mandates/${id}/accept`, undefined, { 'If-Match': '"0"' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');

    // The scheduler activates it at `from` (about a second after the proposal).
    const active = await eventually(async () => {
      const res = await stack.call(anna, 'get', `/mandates/${id}`);
      return res.body.status === 'active' ? res : undefined;
    }, { what: 'mandate activated by the scheduler', timeoutMs: 15_000 });
    const allowed = await check(anna, 'anna');
    expect(allowed.body).toEqual({ allowed: true, basis: 'mandate', mandateId: id, mandateVersion: Number(active.headers['etag'].replace(/"/g, '')), reason: expect.any(String) });
    const duringAt = new Date().toISOString();

    const revoked = await stack.call(manager, 'post', `/mandates/${id}/revoke`, { reason: 'Reorganisation' }, { 'If-Match': active.headers['etag'] });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'ended', endReason: 'revoked' });
    const denied = await check(anna, 'anna');
    expect(denied.body).toMatchObject({ allowed: false, basis: null, reason: expect.stringMatching(/revoked/) });

    // As of before, during and after: the API agrees with a brute-force fold of the events.
    const store = openReadOnlyEventStore(stack.config.eventStore);
    const events = (await store.readStream(`delegation-${id}`)).map((e) => ({ type: e.type, data: e.data }) as MandateEvent);
    await store.close();
    const units = [{ id: 'claims', parentId: null, managerIds: ['manager-1'] }];
    const times = [
      new Date(Date.parse(proposed.body.proposedAt) - 1000).toISOString(),
      proposed.body.proposedAt,
      accepted.body.acceptedAt,
      duringAt,
      new Date().toISOString(),
    ];
    for (const at of times) {
      const api = (await check(compliance, 'anna', at)).body;
      const reference = may({ units, mandates: mandatesAsOf(events, at) }, { personId: 'anna', authority: 'cases.assign', unitId: 'claims', queueId: 'queue-1', at });
      expect({ at, allowed: api.allowed, mandateId: api.allowed ? api.mandateId : null }).toEqual({ at, allowed: reference.allowed, mandateId: reference.allowed ? reference.mandateId : null });
    }

    const why = await stack.call(anna, 'get', `/authority/why?personId=anna&authority=cases.assign&unitId=claims&queueId=queue-1&at=${encodeURIComponent(duringAt)}`);
    expect(why.body.decision.allowed).toBe(true);
    expect(why.body.chain.map((l: { kind: string }) => l.kind)).toEqual(['mandate', 'formal-manager']);
    expect(why.body.chain[1]).toMatchObject({ personId: 'manager-1', unitId: 'claims' });
  });

  it('answers authority questions and unit views only to those who may ask (403 for others)', async () => {
    const [system, directorySync, carl] = await Promise.all([stack.token('case-service', ['system']), stack.token('hr-feed', ['directory-sync']), stack.token('carl')]);
    // The person themself, the unit's formal manager, compliance and system callers may ask about anna.
    for (const token of [anna, manager, compliance, system]) expect((await check(token, 'anna')).status).toBe(200);
    // Bob is a colleague of anna's in the unit: he may see the unit, not ask about anna's authority.
    const refused = await check(bob, 'anna');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(refused.body)).not.toContain('mandateId');
    expect((await stack.call(bob, 'get', '/authority/why?personId=anna&authority=cases.assign&unitId=claims')).status).toBe(403);
    expect((await stack.call(bob, 'get', '/directory/units/claims')).status).toBe(200);
    expect((await stack.call(bob, 'get', '/units/claims/leadership-map')).status).toBe(200);
    // Carl belongs to no unit: neither the unit nor its leadership map.
    expect((await stack.call(carl, 'get', '/directory/units/claims')).status).toBe(403);
    expect((await stack.call(carl, 'get', '/units/claims/leadership-map')).status).toBe(403);
    // Only admins and the HR feed write the directory; `system` callers read it.
    expect((await stack.call(system, 'put', '/directory/units/claims', { name: 'Claims', parentId: null, managerIds: ['case-service'] })).status).toBe(403);
    expect((await stack.call(directorySync, 'put', '/directory/units/claims', { name: 'Claims', parentId: null, managerIds: ['manager-1'] })).status).toBe(200);
  });

  it('lets exactly one of concurrent accepts with the same If-Match win; the others get 409', async () => {
    const proposed = await propose(manager, proposal('bob', 'claims', { taskType: 'onboarding', scope: { unitId: 'claims' }, authorities: ['onboarding.plan'] }));
    expect(proposed.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => stack.call(bob, 'post', `/mandates/${proposed.body.mandateId}/accept`, undefined, { 'If-Match': '"0"' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    expect(results.find((r) => r.status === 409)?.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers bad input with problem+json and the right status, writing nothing', async () => {
    expect((await stack.call('not-a-token', 'get', '/mandates')).status).toBe(401);
    expect((await stack.call(manager, 'put', '/directory/units/x', { name: 'X', parentId: null, managerIds: [] })).status).toBe(403);
    const unknownField = await propose(manager, { ...proposal('anna', 'claims'), sneaky: true });
    expect(unknownField.status).toBe(400);
    const self = await propose(manager, proposal('manager-1', 'claims', { taskType: 'coordination', scope: { unitId: 'claims' }, authorities: ['tasks.view-all'] }));
    expect(self.status).toBe(422);
    expect(self.body.rule).toBe('mandate.self-delegation');
    const notManager = await propose(anna, proposal('bob', 'claims', { taskType: 'coordination', scope: { unitId: 'claims' }, authorities: ['tasks.view-all'] }));
    expect(notManager.body.rule).toBe('mandate.not-formal-manager');
    expect((await stack.call(anna, 'post', '/mandates/does-not-exist/accept', undefined, { 'If-Match': '"0"' })).status).toBe(404);
    const withoutIfMatch = await stack.call(anna, 'post', '/mandates/does-not-exist/accept');
    expect(withoutIfMatch.status).toBe(428);
    expect((await stack.call(anna, 'get', '/audit/verify')).status).toBe(403);
    expect((await stack.call(anna, 'get', '/mandates?unitId=claims')).status).toBe(403);
    expect((await stack.call(anna, 'get', '/mandates?delegateId=anna')).status).toBe(200);
    const tooLarge = await propose(manager, { ...proposal('anna', 'claims'), direction: { purpose: 'x'.repeat(300_000), successCriteria: [] } });
    expect(tooLarge.status).toBe(413);
  });

  it('refuses a second holder of an exclusive task in the same scope, naming the first', async () => {
    const first = await propose(manager, proposal('bob', 'claims', { scope: { unitId: 'claims', queueId: 'queue-x' } }));
    expect(first.status).toBe(201);
    const second = await propose(manager, proposal('anna', 'claims', { scope: { unitId: 'claims', queueId: 'queue-x' } }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ rule: 'mandate.exclusive-overlap', details: expect.objectContaining({ otherMandateId: first.body.mandateId }) });
  });

  it('honours Idempotency-Key: a retried proposal returns the same mandate and writes nothing new', async () => {
    const body = proposal('anna', 'claims', { taskType: 'coordination', scope: { unitId: 'claims' }, authorities: ['tasks.view-all'] });
    const a = await propose(manager, body, { 'Idempotency-Key': 'key-123' });
    const b = await propose(manager, body, { 'Idempotency-Key': 'key-123' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.mandateId).toBe(a.body.mandateId);
    const c = await propose(manager, { ...body, reviewCadenceDays: 7 }, { 'Idempotency-Key': 'key-123' });
    expect(c.status).toBe(422);
    const events = await stack.call(compliance, 'get', `/audit/mandates/${a.body.mandateId}/events`);
    expect(events.body.events).toHaveLength(1);
  });

  it('serves the audit to compliance: events with integrity hashes, verification, state as of, export', async () => {
    const proposed = await propose(manager, proposal('anna', 'claims', { taskType: 'onboarding', scope: { unitId: 'claims' }, authorities: ['onboarding.plan'] }));
    const events = await stack.call(compliance, 'get', `/audit/mandates/${proposed.body.mandateId}/events`);
    expect(events.body.events[0]).toMatchObject({ type: 'MandateProposed', metadata: { actor: 'manager-1', integrity: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    const verify = await stack.call(compliance, 'get', '/audit/verify');
    // The service anchors its store by itself (signed anchor log beside the SQLite file), and verify checks it.
    expect(verify.body).toMatchObject({ intact: true, verdict: 'intact', problems: [], anchors: { keyId: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(verify.body.eventsChecked).toBeGreaterThan(5);
    const state = await stack.call(compliance, 'get', `/audit/state?unitId=claims&at=${encodeURIComponent(new Date().toISOString())}`);
    expect(state.body.mandates.map((m: { mandate: { mandateId: string } }) => m.mandate.mandateId)).toContain(proposed.body.mandateId);
    // A page at a time (issue #11: the whole store's histories at once): following `next` with limit 1 yields the same mandates.
    const paged: string[] = [];
    for (let after: string | null = null, pages = 0; pages === 0 || after !== null; pages++) {
      const page = await stack.call(compliance, 'get', `/audit/state?unitId=claims&limit=1&at=${encodeURIComponent(state.body.at)}${after ? `&after=${after}` : ''}`);
      expect(page.body.mandates.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.mandates.map((m: { mandate: { mandateId: string } }) => m.mandate.mandateId));
      after = page.body.next;
    }
    expect(paged.sort()).toEqual(state.body.mandates.map((m: { mandate: { mandateId: string } }) => m.mandate.mandateId).sort());
    expect((await stack.call(compliance, 'get', `/audit/state?at=${encodeURIComponent(state.body.at)}&limit=501`)).status).toBe(400);
    const csv = await stack.call(compliance, 'get', '/audit/export?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toMatch(/streamName/);
    expect(csv.text).toContain(proposed.body.mandateId);
  });

  it('publishes every mandate change to Kafka as a CloudEvent carrying the full state', async () => {
    const proposed = await propose(manager, proposal('anna', 'claims', { taskType: 'onboarding', scope: { unitId: 'claims' }, authorities: ['onboarding.plan'] }));
    await stack.call(anna, 'post', `/mandates/${proposed.body.mandateId}/accept`, undefined, { 'If-Match': '"0"' });
    const kafka = new Kafka({ clientId: uniqueName('e2e'), brokers: [...testInfra().kafka.brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-reader') });
    const seen: { version: number; change: string; status: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'leadership.delegation.mandates.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== proposed.body.mandateId) return;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        const data = JSON.parse(message.value!.toString()) as { version: number; change: string; mandate: { status: string } };
        seen.push({ version: data.version, change: data.change, status: data.mandate.status, headers });
      },
    });
    try {
      await eventually(() => (seen.length >= 2 ? true : undefined), { what: 'two MandateChanged events', timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.slice(0, 2).map(({ version, change }) => ({ version, change }))).toEqual([
      { version: 0, change: 'proposed' },
      { version: 1, change: 'accepted' },
    ]);
    expect(seen[0]!.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'leadership.delegation.mandate-changed.v1',
      ce_subject: proposed.body.mandateId,
      ce_source: '/leadership/delegation',
    });
    expect(seen[0]!.headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('imports a directory in bulk, reporting created, updated, unchanged and rejected rows', async () => {
    const res = await stack.call(admin, 'post', '/directory/import', {
      units: [
        { id: 'claims', name: 'Claims', parentId: null, managerIds: ['manager-1'] },
        { id: 'claims-north', name: 'Claims North', parentId: 'claims', managerIds: [] },
        { id: 'orphan', name: 'Orphan', parentId: 'nowhere', managerIds: [] },
      ],
      people: [
        { id: 'cem', displayName: 'Cem', email: 'cem@example.test', locale: 'tr-TR', unitIds: ['claims-north'] },
        { id: 'dana', displayName: 'Dana', email: 'not-an-email', locale: 'en', unitIds: ['claims'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ created: 2, updated: 0, unchanged: 1, rejected: 2 });
    expect(res.body.units.find((r: { id: string }) => r.id === 'orphan').reason.rule).toMatch(/unknown-parent/);
    expect(res.body.people.find((r: { id: string }) => r.id === 'dana').reason.rule).toMatch(/invalid-email/);
    expect((await stack.call(admin, 'get', '/directory/units/claims-north')).body).toMatchObject({ parentId: 'claims' });
    expect((await stack.call(admin, 'get', '/directory/people/dana')).status).toBe(404);
    expect((await stack.call(anna, 'get', '/directory/people/cem')).status).toBe(403);
  });

  it('keeps skills (HR) and absences (the person, their managers, HR) and publishes both in PersonChanged, periods only', async () => {
    const hrFeed = await stack.token('hr-feed', ['directory-sync']);
    const system = await stack.token('svc-onboarding', ['system']);
    const put = await stack.call(hrFeed, 'put', '/directory/people/bob', { displayName: 'bob', email: 'bob@example.test', locale: 'de-DE', unitIds: ['claims'], skills: ['motor', 'de'] });
    expect(put.status).toBe(200);
    // A feed without skills keeps them.
    expect((await stack.call(hrFeed, 'put', '/directory/people/bob', { displayName: 'bob', email: 'bob@example.test', locale: 'de-DE', unitIds: ['claims'] })).body.outcome).toBe('unchanged');
    expect((await stack.call(bob, 'get', '/directory/people/bob')).body).toMatchObject({ skills: ['de', 'motor'], absences: [], version: 1 });

    const summer = { from: '2026-07-01T00:00:00+02:00', to: '2026-07-15T00:00:00+02:00' };
    const own = await stack.call(bob, 'put', '/directory/people/bob/absences', { absences: [summer] });
    expect(own.status).toBe(200);
    expect(own.headers['etag']).toBe('"2"');
    expect(own.body).toMatchObject({ personId: 'bob', version: 2, changed: true, absences: [{ absenceId: expect.any(String), from: '2026-06-30T22:00:00.000Z', to: '2026-07-14T22:00:00.000Z' }] });
    const course = { absenceId: 'course-7', from: '2026-09-07T07:00:00Z', to: '2026-09-07T15:00:00Z' };
    const stale = await stack.call(manager, 'put', '/directory/people/bob/absences', { absences: [summer, course] }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(409);
    const byManager = await stack.call(manager, 'put', '/directory/people/bob/absences', { absences: [summer, course] }, { 'If-Match': '"2"' });
    expect(byManager.status).toBe(200);
    expect(byManager.body.absences).toHaveLength(2);
    // A colleague may neither write nor read them; nobody learns from a 403 whether a person exists.
    expect((await stack.call(anna, 'put', '/directory/people/bob/absences', { absences: [] })).status).toBe(403);
    expect((await stack.call(anna, 'get', '/directory/people/bob/absences')).status).toBe(403);
    expect((await stack.call(anna, 'get', '/directory/people/nobody/absences')).status).toBe(403);
    expect((await stack.call(hrFeed, 'get', '/directory/people/nobody/absences')).status).toBe(404);
    expect((await stack.call(system, 'get', '/directory/people/bob/absences')).body).toMatchObject({ version: 3, absences: [{ from: '2026-06-30T22:00:00.000Z' }, { absenceId: 'course-7' }] });
    // Bad input, nothing written.
    const backwards = await stack.call(bob, 'put', '/directory/people/bob/absences', { absences: [{ from: summer.to, to: summer.from }] });
    expect(backwards.status).toBe(422);
    expect(backwards.body.rule).toBe('directory.invalid-absence');
    expect((await stack.call(bob, 'put', '/directory/people/bob/absences', { absences: [{ ...summer, reason: 'vacation' }] })).status).toBe(400);
    expect((await stack.call(hrFeed, 'put', '/directory/people/bob', { displayName: 'bob', email: 'bob@example.test', locale: 'de-DE', unitIds: ['claims'], skills: ['no spaces'] })).status).toBe(400);
    expect((await stack.call(system, 'get', '/directory/people/bob/absences')).body.version).toBe(3);

    const kafka = new Kafka({ clientId: uniqueName('e2e'), brokers: [...testInfra().kafka.brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-directory') });
    const seen: Record<string, unknown>[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'leadership.delegation.directory.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === 'bob') seen.push(JSON.parse(message.value!.toString()) as Record<string, unknown>);
      },
    });
    try {
      await eventually(() => (seen.some((m) => m['version'] === 3) ? true : undefined), { what: "bob's PersonChanged version 3", timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    expect(seen.find((m) => m['version'] === 3)).toEqual({
      personId: 'bob',
      version: 3,
      locale: 'de-DE',
      unitIds: ['claims'],
      skills: ['de', 'motor'],
      absences: [
        { from: '2026-06-30T22:00:00.000Z', to: '2026-07-14T22:00:00.000Z' },
        { from: '2026-09-07T07:00:00.000Z', to: '2026-09-07T15:00:00.000Z' },
      ],
      occurredAt: expect.any(String),
    });
  });

  it('lets admins change the task-type catalogue (audited), and nobody else', async () => {
    const body = { title: 'Quality lead', grantableAuthorities: ['quality.review', 'quality.sign-off'], exclusive: true, requiredScope: 'unit', maxPeriodDays: 180, allowsRedelegation: false };
    expect((await stack.call(manager, 'put', '/task-types/quality-lead', body)).status).toBe(403);
    const created = await stack.call(admin, 'put', '/task-types/quality-lead', body);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: 'quality-lead', version: 0, changed: true });
    const again = await stack.call(admin, 'put', '/task-types/quality-lead', body);
    expect(again.body).toMatchObject({ version: 0, changed: false });
    const list = await stack.call(anna, 'get', '/task-types');
    expect(list.body.items.map((t: { key: string }) => t.key)).toEqual(expect.arrayContaining(['case-distribution', 'onboarding', 'shift-planning', 'coordination', 'project-lead', 'quality-lead']));
    expect((await stack.call(admin, 'put', '/task-types/Bad_Key', body)).status).toBe(400);
  });

  it('flags mandates whose delegator stopped managing the unit, and shows them on the leadership map', async () => {
    await stack.call(admin, 'put', '/directory/units/support', { name: 'Support', parentId: null, managerIds: ['lead-1'] });
    await stack.call(admin, 'put', '/directory/people/erik', { displayName: 'Erik', email: 'erik@example.test', locale: 'sv-SE', unitIds: ['support'] });
    const lead = await stack.token('lead-1');
    const erik = await stack.token('erik');
    const proposed = await propose(lead, proposal('erik', 'support', { taskType: 'coordination', scope: { unitId: 'support' }, authorities: ['tasks.view-all'] }));
    expect(proposed.status).toBe(201);
    await stack.call(erik, 'post', `/mandates/${proposed.body.mandateId}/accept`, undefined, { 'If-Match': '"0"' });
    await eventually(async () => ((await stack.call(erik, 'get', `/mandates/${proposed.body.mandateId}`)).body.status === 'active' ? true : undefined), {
      what: 'activation',
      timeoutMs: 15_000,
    });
    // HR moves the formal management of the unit to someone else.
    await stack.call(admin, 'put', '/directory/units/support', { name: 'Support', parentId: null, managerIds: ['lead-2'] });
    const flagged = await eventually(async () => {
      const res = await stack.call(erik, 'get', `/mandates/${proposed.body.mandateId}`);
      return res.body.awaitingReconfirmation ? res : undefined;
    }, { what: 'flagged for reconfirmation', timeoutMs: 15_000 });
    expect(flagged.body.status).toBe('active');
    const map = await stack.call(await stack.token('lead-2'), 'get', '/units/support/leadership-map');
    expect(map.status).toBe(200);
    expect(map.body.formalManagerIds).toEqual(['lead-2']);
    expect(map.body.awaitingReconfirmation.map((m: { mandateId: string }) => m.mandateId)).toEqual([proposed.body.mandateId]);
    expect(map.body.gaps).toEqual(expect.arrayContaining(['case-distribution']));
    // The new manager confirms it and becomes its delegator.
    const confirmed = await stack.call(await stack.token('lead-2'), 'post', `/mandates/${proposed.body.mandateId}/confirm`, undefined, { 'If-Match': flagged.headers['etag'] });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ delegatorId: 'lead-2', awaitingReconfirmation: false });
  });

  it('loses nothing when the service dies between append and projection', async () => {
    const proposed = await propose(manager, proposal('bob', 'claims', { taskType: 'coordination', scope: { unitId: 'claims' }, authorities: ['tasks.view-all'] }));
    // The proposal is projected; then the projector stops (as in a crash) and the acceptance
    // is appended but never projected by this process.
    expect(await stack.runtime!.parts.projector.catchUp(10_000)).toBe(true);
    await stack.runtime!.parts.projector.stop();
    const accepted = await stack.call(bob, 'post', `/mandates/${proposed.body.mandateId}/accept`, undefined, { 'If-Match': '"0"' });
    expect(accepted.status).toBe(200);
    const stale = await stack.runtime!.parts.readModel.mandates.findOne({ _id: proposed.body.mandateId });
    expect(stale?.status).toBe('proposed');
    await stack.stop();
    await stack.start();
    const list = await eventually(async () => {
      const res = await stack.call(manager, 'get', `/mandates?unitId=claims&delegateId=bob&taskType=coordination`);
      return res.body.items.some((i: { mandate: { status: string } }) => i.mandate.status !== 'proposed') ? res : undefined;
    }, { what: 'projection caught up after restart' });
    expect(list.body.items.find((i: { mandate: { mandateId: string } }) => i.mandate.mandateId === proposed.body.mandateId).mandate.status).toMatch(/accepted|active/);
  });
});
