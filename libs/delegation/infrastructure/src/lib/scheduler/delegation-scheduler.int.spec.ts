import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { testInfra, uniqueName } from '@leadership/testing';
import { createDelegationParts, type DelegationParts } from '../delegation-parts';
import { DelegationScheduler } from './delegation-scheduler';

/*
 * Restart safety: schedulers that run the same pass twice, concurrently (two processes during
 * a rolling restart) or one after the other (a restart after a crash), apply each transition
 * and issue each reminder exactly once.
 */
describe('delegation scheduler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'delegation-scheduler-'));
  const file = join(dir, 'events.sqlite');
  const client = new MongoClient(testInfra().mongo.uri);
  let clock = Date.parse('2026-05-01T08:00:00.000Z');
  const now = () => new Date(clock);
  const stores: SqliteEventStore[] = [];
  const instances: DelegationParts[] = [];
  const DAY = 86_400_000;

  /** One "process": its own store connection and services, sharing the file and the database. */
  function process(dbName: string): DelegationParts {
    const store = new SqliteEventStore(file);
    stores.push(store);
    const services = createDelegationParts(store, client.db(dbName), now);
    instances.push(services);
    return services;
  }

  beforeAll(() => client.connect());
  afterAll(async () => {
    for (const s of instances) await s.projector.stop();
    for (const s of stores) await s.close();
    await client.close();
  });

  it('activates, reminds and expires exactly once across concurrent and restarted schedulers', async () => {
    const dbName = uniqueName('scheduler').replace(/-/g, '_');
    const a = process(dbName);
    const b = process(dbName);
    await a.projector.start();
    await b.projector.start();
    await a.directory.upsertUnit.execute({ id: 'ops', name: 'Operations', parentId: null, managerIds: ['m1'] }, { actorId: 'hr' });
    await a.directory.upsertPerson.execute({ id: 'p1', displayName: 'P', email: 'p1@example.test', locale: 'en', unitIds: ['ops'] }, { actorId: 'hr' });
    const mandateId = '11111111-2222-4333-8444-555555555555';
    const from = clock + 3_600_000;
    const until = from + 20 * DAY;
    await a.mandates.propose.execute(
      {
        mandateId,
        delegateId: 'p1',
        taskType: 'shift-planning',
        scope: { unitId: 'ops' },
        direction: { purpose: 'Plan shifts', successCriteria: [] },
        framework: { rules: [{ id: 'r', text: 'Fair rotation', mode: 'enforce' }], reservedDecisions: [], escalationContactId: 'm1' },
        authorities: ['calendar.book'],
        period: { from: new Date(from).toISOString(), until: new Date(until).toISOString() },
        reviewCadenceDays: 365,
      },
      { actorId: 'm1' },
    );
    await a.mandates.accept.execute({ mandateId }, { actorId: 'p1' });

    const schedulerA = new DelegationScheduler(a, 0);
    const schedulerB = new DelegationScheduler(b, 0);
    const typesOf = async () => (await a.store.readStream(`delegation-${mandateId}`)).map((e) => e.type);
    const reminders = async () => (await a.store.readStream(`reminder-${mandateId}`)).map((e) => (e.data as { kind: string; daysBefore: number | null }).daysBefore);

    // Before `from`: nothing due.
    await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    expect(await typesOf()).toEqual(['MandateProposed', 'MandateAccepted']);
    // Nothing happened since and nothing is due before `from`: the next pass loads nothing.
    clock += 1000;
    expect(await schedulerA.tick()).toMatchObject({ due: 0, idle: true });

    // At `from`, two schedulers at once: one activation.
    clock = from + 1000;
    await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    expect(await typesOf()).toEqual(['MandateProposed', 'MandateAccepted', 'MandateActivated']);

    // Seven days before `until`: one reminder, also after a "restart" (a fresh scheduler instance).
    clock = until - 7 * DAY + 1000;
    await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    await new DelegationScheduler(process(dbName), 0).tick();
    expect(await reminders()).toEqual([7]);

    // One day before: the 1-day reminder, once.
    clock = until - DAY + 1000;
    await Promise.all([schedulerA.tick(), schedulerB.tick(), schedulerA.tick()]);
    expect(await reminders()).toEqual([7, 1]);

    // At `until`: one expiry; afterwards nothing more is due.
    clock = until + 1000;
    await Promise.all([schedulerA.tick(), schedulerB.tick()]);
    const result = await schedulerA.tick();
    expect(await typesOf()).toEqual(['MandateProposed', 'MandateAccepted', 'MandateActivated', 'MandateExpired']);
    expect(result.due).toBe(0);

    // Work no request started still carries trace context: each scheduled event a span of its pass's trace.
    const traceparent = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;
    const scheduled = [...(await a.store.readStream(`delegation-${mandateId}`)).slice(2), ...(await a.store.readStream(`reminder-${mandateId}`))];
    expect(scheduled.map((event) => event.metadata.traceparent)).toEqual(scheduled.map(() => expect.stringMatching(traceparent)));
    expect(new Set(scheduled.map((event) => event.metadata.traceparent)).size).toBe(scheduled.length);
  });
});
