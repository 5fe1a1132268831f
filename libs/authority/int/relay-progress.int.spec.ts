import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { AuthorityConsumer, AuthorityEventsController, AuthorityProjection, AuthorityStaleError, grantWhileFresh, MongoAuthorityStore } from '@leadership/authority';
import { AcceptMandateHandler, ProposeMandateHandler, RevokeMandateHandler, SuspendMandateHandler, UpsertPersonHandler, UpsertUnitHandler } from '@leadership/delegation-application';
import { MANDATE_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, UNIT_STREAM_CATEGORY } from '@leadership/delegation-domain';
import {
  delegationAggregateStates,
  delegationIntegrationEvents,
  delegationRelayProgress,
  delegationTopics,
  REMINDER_STREAM_CATEGORY,
  type PublishedState,
} from '@leadership/delegation-infrastructure';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import { ensureTopics, EventStoreKafkaRelay, KafkaIntegrationEventPublisher, silentMessagingLogger, SqliteRelayCheckpointStore, type IntegrationEventMapper } from '@leadership/messaging-kafka';
import { ProblemException } from '@leadership/platform-nest';
import { eventually, isolatedMongoUri, startDedicatedKafka, uniqueName, type DedicatedKafka } from '@leadership/testing';

/*
 * The hole the relay's progress reports close, on real infrastructure: a delegation event store
 * (SQLite file) → the real relay with progress reports every 100 ms → a Kafka of this suite's own
 * (port 19992: the relay is stopped and broken on purpose, and no other suite's reports may reach
 * this consumer) → a real AuthorityConsumer over MongoDB (FerretDB here).
 *
 * Before, the consumer measured its staleness against the topics only: with the relay stopped,
 * every catch-up probe found the topics caught up, and a revocation committed to the store meanwhile
 * went unseen while grants were answered as fresh. Now: fresh while the relay runs; once it stops (or
 * its mapper throws), stale within the bound and a probe interval of its last report, grants refused
 * (the 503 of grantWhileFresh) and never answered from the revoked mandate; a relay started again
 * publishes the revocation and the projection is fresh again. Prints the staleness the rule reckons
 * while idle and while events are committed, so the report interval's cost is visible.
 */
const BOUND = 1000;
const PROBE = 250;
const p = uniqueName('relay-progress');
const unitId = `${p}-unit`;
const managerId = `${p}-manager`;
const delegateId = `${p}-delegate`;
const mandateId = randomUUID();
const question = { personId: delegateId, authority: 'cases.assign', unitId, queueId: 'q1' };
const hr = { actorId: 'hr' };
const now = () => new Date();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

describe('authority freshness against the delegation event store: relay progress (real SQLite store, relay, Kafka, consumer)', () => {
  const location = isolatedMongoUri('authority_relay_progress');
  const dir = mkdtempSync(join(tmpdir(), 'relay-progress-'));
  let broker: DedicatedKafka;
  let kafka: Kafka;
  let store: SqliteEventStore;
  let checkpoints: SqliteRelayCheckpointStore;
  let relay: EventStoreKafkaRelay<PublishedState> | undefined;
  let client: MongoClient;
  let consumer: AuthorityConsumer;
  let app: INestApplication;

  /** The delegation service's relay, as delegation.app wires it (its mapper replaceable to break it). */
  const startRelay = async (mapper: IntegrationEventMapper<PublishedState> = delegationIntegrationEvents) => {
    relay = new EventStoreKafkaRelay<PublishedState>({
      name: 'delegation',
      eventStore: store,
      aggregates: delegationAggregateStates(store),
      checkpoints,
      mapper,
      publisher: new KafkaIntegrationEventPublisher(kafka),
      filter: { streamCategories: [MANDATE_STREAM_CATEGORY, UNIT_STREAM_CATEGORY, PERSON_STREAM_CATEGORY, REMINDER_STREAM_CATEGORY] },
      progress: delegationRelayProgress(100),
      metrics: false,
      logger: silentMessagingLogger,
    });
    await relay.start();
    return relay;
  };

  /** Samples the staleness the rule reckons every 20 ms for `ms`. */
  const sampleStaleness = async (ms: number, meanwhile?: () => Promise<void>) => {
    const samples: number[] = [];
    let stop = false;
    const work = meanwhile ? (async () => { while (!stop) await meanwhile(); })() : Promise.resolve();
    for (const end = Date.now() + ms; Date.now() < end; ) {
      samples.push(consumer.stalenessMs());
      await pause(20);
    }
    stop = true;
    await work;
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: Math.max(...samples), samples: samples.length };
  };

  /**
   * Watches the answers from `since` (the revocation's commit) for `ms`: a grant may be answered
   * only from a caught-up moment before the revocation (within the bound), never after; returns
   * when the first refusal came.
   */
  const watchRefusal = async (since: number, ms: number) => {
    let refusedAt: number | undefined;
    for (const end = Date.now() + ms; Date.now() < end; ) {
      const freshness = consumer.freshness();
      try {
        const answer = consumer.projection.mayFresh(question);
        expect(answer.allowed).toBe(true); // the projection still holds the mandate in force
        expect(Date.parse(freshness.caughtUpAt ?? '')).toBeLessThan(since);
        expect(refusedAt).toBeUndefined(); // once refused, refused until the revocation is applied
      } catch (error) {
        if (!(error instanceof AuthorityStaleError)) throw error;
        refusedAt ??= Date.now();
      }
      await pause(10);
    }
    return refusedAt;
  };

  beforeAll(async () => {
    broker = await startDedicatedKafka({ name: 'authority-relay-progress', port: 19992 });
    kafka = new Kafka({ clientId: 'relay-progress-int', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, delegationTopics, { partitions: 3 });
    store = new SqliteEventStore(join(dir, 'delegation.sqlite'));
    checkpoints = new SqliteRelayCheckpointStore(join(dir, 'checkpoints.sqlite'));
    await startRelay();

    // The delegation world: a unit, its manager, the delegate, and a mandate in force.
    await new UpsertUnitHandler(store, now).execute({ id: unitId, name: 'Claims', parentId: null, managerIds: [managerId] }, hr);
    for (const id of [managerId, delegateId]) {
      await new UpsertPersonHandler(store, now).execute({ id, displayName: id, email: `${id}@example.test`, locale: 'en', unitIds: [unitId] }, hr);
    }
    await new ProposeMandateHandler(store, now).execute(
      {
        mandateId,
        delegateId,
        taskType: 'case-distribution',
        scope: { unitId, queueId: 'q1' },
        direction: { purpose: 'Distribute claims', successCriteria: ['no case unassigned for a day'] },
        framework: { rules: [{ id: 'r1', text: 'Fair share', mode: 'enforce' }], reservedDecisions: [], escalationContactId: managerId },
        authorities: ['cases.assign'],
        period: { from: new Date(Date.now() + 500).toISOString(), until: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        reviewCadenceDays: 30,
      },
      { actorId: managerId },
    );
    await pause(600);
    await new AcceptMandateHandler(store, now).execute({ mandateId }, { actorId: delegateId }); // accepted after its start: in force at once

    client = await MongoClient.connect(location.uri);
    consumer = new AuthorityConsumer({
      kafka,
      group: uniqueName('relay-progress.authority'),
      projection: new AuthorityProjection(await MongoAuthorityStore.open(client.db(location.dbName))),
      freshnessBoundMs: BOUND,
      freshnessProbeIntervalMs: PROBE,
      refreshIntervalMs: 0,
      waitForJoinMs: 30_000,
      metrics: false,
      logger: silentMessagingLogger,
    });
    const authority = consumer;
    @Module({ controllers: [AuthorityEventsController], providers: [{ provide: AuthorityConsumer, useValue: authority }] })
    class RelayProgressTestModule {}
    app = await NestFactory.create(RelayProgressTestModule, { logger: false });
    app.connectMicroservice({ strategy: consumer.server });
    await consumer.projection.load();
    consumer.startRefresh();
    await app.init();
    await app.startAllMicroservices();
    await consumer.waitForVersion(mandateId, 2, 60_000);
  }, 240_000);

  afterAll(async () => {
    await consumer?.stopRefresh();
    await app?.close();
    await relay?.stop();
    await store?.close();
    checkpoints?.close();
    await client?.db(location.dbName).dropDatabase().catch(() => undefined);
    await client?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('is fresh while the relay runs: idle, and while events are committed', async () => {
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh', timeoutMs: 30_000 });
    expect(consumer.projection.mayFresh(question)).toMatchObject({ allowed: true, basis: 'mandate', mandateId, mandateVersion: 2 });

    const idle = await sampleStaleness(5000);
    let n = 0;
    // About 50 commits a second to the store (person changes the relay publishes), as a busy delegation service.
    const busy = await sampleStaleness(5000, async () => {
      await new UpsertPersonHandler(store, now).execute({ id: managerId, displayName: `manager ${n++}`, email: `${managerId}@example.test`, locale: 'en', unitIds: [unitId] }, hr);
      await pause(20);
    });
    process.stdout.write(
      `relay-progress staleness reckoned (bound ${BOUND} ms, probe ${PROBE} ms, reports every 100 ms): ` +
        `idle p50 ${idle.p50} ms, p99 ${idle.p99} ms, max ${idle.max} ms (${idle.samples} samples); ` +
        `busy (${n} commits in 5 s) p50 ${busy.p50} ms, p99 ${busy.p99} ms, max ${busy.max} ms (${busy.samples} samples)\n`,
    );
    expect(idle.max).toBeLessThanOrEqual(BOUND);
    expect(busy.p50).toBeLessThanOrEqual(BOUND);
  });

  it('stops granting once the relay has stopped and a revocation is committed, and is fresh again with a new relay', async () => {
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh before the stop', timeoutMs: 30_000 });
    await relay?.stop();
    await new RevokeMandateHandler(store, now).execute({ mandateId, reason: 'Reorganisation' }, { actorId: managerId });
    const revokedAt = Date.now();

    // The topics hold everything published: every probe finds the consumer caught up with them.
    const refusedAt = await watchRefusal(revokedAt, 4000);
    expect(refusedAt).toBeDefined();
    const after = (refusedAt ?? Number.POSITIVE_INFINITY) - revokedAt;
    process.stdout.write(`relay-progress: relay stopped, revocation committed; grants refused ${after} ms later\n`);
    expect(after).toBeLessThanOrEqual(BOUND + PROBE + 500);
    expect(consumer.projection.mandateVersion(mandateId)).toBe(2);
    expect(consumer.freshness()).toMatchObject({ fresh: false, reason: expect.stringMatching(/delegation relay has not reported progress for \d+ ms/) });
    expect(() => grantWhileFresh(() => consumer.projection.mayFresh(question))).toThrow(ProblemException);
    try {
      grantWhileFresh(() => consumer.projection.mayFresh(question));
    } catch (error) {
      expect((error as ProblemException).problem).toMatchObject({ status: 503 });
      expect((error as ProblemException).headers).toMatchObject({ 'Retry-After': '1' });
    }
    // A denial is still answered.
    expect(consumer.projection.mayFresh({ ...question, personId: `${p}-stranger` })).toMatchObject({ allowed: false });

    await startRelay();
    await consumer.waitForVersion(mandateId, 3, 30_000);
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh again', timeoutMs: 30_000 });
    expect(consumer.projection.mayFresh(question)).toMatchObject({ allowed: false, mandateId, mandateVersion: 3, reason: expect.stringMatching(/revoked/) });
  });

  it('goes stale when the relay fails on a mapper defect, and recovers with a relay that maps again', async () => {
    // A second mandate in force, for the delegate's colleague; then its suspension breaks the mapper.
    const colleague = `${p}-colleague`;
    const second = randomUUID();
    await new UpsertPersonHandler(store, now).execute({ id: colleague, displayName: colleague, email: `${colleague}@example.test`, locale: 'en', unitIds: [unitId] }, hr);
    await new ProposeMandateHandler(store, now).execute(
      {
        mandateId: second,
        delegateId: colleague,
        taskType: 'onboarding',
        scope: { unitId },
        direction: { purpose: 'Onboard newcomers', successCriteria: ['a plan for everyone'] },
        framework: { rules: [{ id: 'r1', text: 'Within budget', mode: 'warn' }], reservedDecisions: [], escalationContactId: managerId },
        authorities: ['onboarding.plan'],
        period: { from: new Date(Date.now() + 300).toISOString(), until: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        reviewCadenceDays: 30,
      },
      { actorId: managerId },
    );
    await pause(400);
    await new AcceptMandateHandler(store, now).execute({ mandateId: second }, { actorId: colleague });
    await consumer.waitForVersion(second, 2, 30_000);
    const onboard = { personId: colleague, authority: 'onboarding.plan', unitId };
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh', timeoutMs: 30_000 });
    expect(consumer.projection.mayFresh(onboard)).toMatchObject({ allowed: true });

    await relay?.stop();
    const broken = await startRelay((event, state) => {
      if (event.type === 'MandateSuspended') throw new Error('mapper defect');
      return delegationIntegrationEvents(event, state);
    });
    await new SuspendMandateHandler(store, now).execute({ mandateId: second, reason: 'Under review' }, { actorId: managerId });
    await expect(broken.done).rejects.toThrow('mapper defect');
    await eventually(() => (consumer.freshness().fresh ? undefined : true), { what: 'stale after the mapper failure', timeoutMs: BOUND + PROBE + 2000 });
    expect(() => consumer.projection.mayFresh(onboard)).toThrow(AuthorityStaleError);

    await startRelay();
    await consumer.waitForVersion(second, 3, 30_000);
    await eventually(() => (consumer.freshness().fresh ? true : undefined), { what: 'fresh again', timeoutMs: 30_000 });
    expect(consumer.projection.mayFresh(onboard)).toMatchObject({ allowed: false, mandateVersion: 3 });
  });
});
