/*
 * npm run bench -- notification-fanout
 *
 * Source events consumed → inbox items written and e-mails handed to SMTP, per second, against a
 * bare kafkajs consume + driver insert of the same inbox documents in the same run (issue #10:
 * ratio ≥ 0.5); and the latency from the source event's append to Kafka to its inbox item being
 * stored (p50, p99).
 *
 * World: EVENTS `MandateReminderDue` (review reminders) for EVENTS mandates, each to its delegate
 * and its delegator (every tenth delegator is the same manager), so each event makes one
 * notification with 2 inbox items and 2 e-mails. People are seeded into the directory projection
 * with their contact details (no directory API call is timed); preferences are the defaults.
 *
 * Candidate: the real service in-process (`startService(notificationsService(…))`: SQLite event
 * store, the local MongoDB wire server, a Kafka broker of the bench's own, Mailpit's SMTP), its source consumer, dispatcher
 * and delivery read model as they run. Timed from the first produce until every inbox item is in
 * the read model and every e-mail delivery is recorded delivered (SMTP 250).
 *
 * Baseline: a bare kafkajs consumer (a new group) reading the same messages from the same topic,
 * inserting the two inbox documents of each message with the MongoDB driver (`insertMany`, one
 * round trip per message) into a collection of the same database. Timed from its first message
 * to its last insert.
 *
 * `MONGO_URI` overrides the MongoDB wire server (default: the local FerretDB of `npm run infra`).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { MANDATE_REMINDERS_TOPIC, MandateReminderDue } from '@leadership/delegation-contracts';
import { loadInfraConfig, up } from '@leadership/local-infra';
import { encodeCloudEvent, ensureTopics } from '@leadership/messaging-kafka';
import { renderTemplate, templateFor } from '@leadership/notifications-domain';
import { DeliveryReadModel, SmtpMailer } from '@leadership/notifications-infrastructure';
import { serviceConfigFromEnv, startService } from '@leadership/platform-runtime';
import { cpuAccountingSupported, cpuBetween, groupsTotal, percentile, reportBench, rerunWithDecoratorMetadata, round, sampleCpu, startDedicatedKafka, uniqueName, type CpuGroups, type CpuSpent } from '@leadership/testing';
import { notificationsService } from '../src/notifications.app';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 500);
const TIMEOUT_MS = 20 * 60_000;
const delegate = (i: number) => `fanout-delegate-${i}`;
const delegator = (i: number) => (i % 10 === 0 ? 'fanout-manager' : `fanout-delegator-${i}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU per source event in ms, per process group and for the whole machine. */
function perEvent(spent: CpuSpent): Record<string, number> {
  const row: Record<string, number> = Object.fromEntries(Object.entries(spent.groups).map(([name, s]) => [name, round((s * 1_000) / EVENTS, 2)]));
  row['all named'] = round((groupsTotal(spent) * 1_000) / EVENTS, 2);
  row['whole machine'] = round((spent.machine * 1_000) / EVENTS, 2);
  return row;
}

async function main(): Promise<void> {
  const infra = loadInfraConfig();
  const mongoUri = process.env['MONGO_URI'] ?? `mongodb://${infra.host}:${infra.ports.mongo}/`;
  // With MONGO_URI the caller provides the database (and Mailpit runs): `up` is skipped, as it waits on the shared infra's lock.
  if (!process.env['MONGO_URI']) await up(infra, ['ferretdb', 'mailpit'], (line) => console.log(`  ${line}`));
  // A broker of its own: on the shared one a new authority group first reads tens of thousands of
  // mandate events from other suites, writing each to MongoDB while the candidate runs.
  const broker = await startDedicatedKafka({ name: 'notifications-bench', port: 19392 });
  await broker.start();
  const brokers = [...broker.brokers];
  const dir = mkdtempSync(join(tmpdir(), 'notification-fanout-'));
  const dbName = uniqueName('notifications_bench').replace(/-/g, '_');
  const topic = MANDATE_REMINDERS_TOPIC;
  const kafka = new Kafka({ clientId: 'notification-fanout-bench', brokers, logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [{ topic, cleanupPolicy: 'delete' }]);
  const client = await MongoClient.connect(mongoUri);
  const db = client.db(dbName);
  const load = loadavg()[0] ?? 0;
  // Where the CPU goes: this process (the service, or the bare consumer), the bench's broker, and the local servers.
  const cpuGroups: CpuGroups = {
    'node (service / bare consumer)': 'self',
    kafka: /dedicated\/notifications-bench\//,
    postgresql: /(^|\/)postgres[: ]/,
    ferretdb: new RegExp(`ferretdb .*--listen-addr=[^ ]*:${new URL(mongoUri).port || 27017}\\b`),
    mailpit: new RegExp(`mailpit .*--smtp=[^ ]*:${infra.ports.smtp}\\b`),
  };

  // The directory as the service would have fetched it: contact details cached for the version (not timed).
  const people = [...new Set(Array.from({ length: EVENTS }, (_, i) => [delegate(i), delegator(i)]).flat())];
  await db.collection('people').insertMany(people.map((id) => ({ _id: id as never, version: 0, locale: 'en-GB', email: `${id}@bench.example`, displayName: id, contactVersion: 0 })));

  const config = serviceConfigFromEnv(
    'notifications',
    { defaultPort: 0, workspaceRoot: dir },
    { NOTIFICATIONS_PORT: '0', HOST: '127.0.0.1', NOTIFICATIONS_EVENT_STORE: join(dir, 'events.sqlite'), MONGO_URI: mongoUri, NOTIFICATIONS_MONGO_DB: dbName, KAFKA_BROKERS: brokers.join(',') },
  );
  const service = await startService(
    notificationsService(config, {
      auth: { mode: 'dev', keyFile: join(dir, 'dev-issuer.json') },
      settings: {
        smtp: { host: infra.host, port: infra.ports.smtp, ignoreTls: true, from: 'bench@leadership.example' },
        directoryUrl: 'http://127.0.0.1:9',
        authorityGroup: uniqueName('fanout-authority'),
        consumerGroup: uniqueName('fanout-sources'),
        directoryGroup: uniqueName('fanout-directory'),
      },
      dispatchIntervalMs: 50,
    }),
  );
  const deliveries = service.app.get(DeliveryReadModel);
  const stored = new Map<string, number>();
  let announced = 0;
  // Every recipient's items, as SSE subscribers get them once stored: the latency is the delegate's.
  const subscriptions = people.map((person) =>
    deliveries.inboxItemsOf(person).subscribe((item) => {
      announced++;
      if (person.startsWith('fanout-delegate-')) stored.set(item.source.id, performance.now());
    }),
  );

  const messages = Array.from({ length: EVENTS }, (_, i) => {
    const now = new Date().toISOString();
    return encodeCloudEvent(MandateReminderDue, {
      id: randomUUID(),
      time: now,
      data: { mandateId: `fanout-mandate-${i}`, kind: 'review-reminder', dueAt: now, delegateId: delegate(i), delegatorId: delegator(i), daysBefore: null, until: null, occurredAt: now },
    });
  });
  const producer = kafka.producer();
  await producer.connect();
  const sentAt = new Map<string, number>();
  const candidateCpuFrom = sampleCpu(cpuGroups);
  const started = performance.now();
  // Appended in batches of 50, as a busy producer would: the latency is measured per message from its batch's acknowledgement.
  for (let i = 0; i < messages.length; i += 50) {
    const batch = messages.slice(i, i + 50);
    await producer.send({ topic, messages: batch.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })) });
    const acked = performance.now();
    for (const m of batch) sentAt.set(String(m.headers['ce_id']), acked);
  }
  const collection = deliveries.deliveries;
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    // Until the read model has announced every inbox item as stored the counts cannot be complete,
    // so they are not asked: each count makes FerretDB read every matching document (~150 ms at
    // 600 each under the bench's load), load on the system being measured. The database is this
    // run's own, so every delivery in it is the bench's (a filter on the recipient read the whole
    // collection on every poll).
    if (announced < 2 * EVENTS && Date.now() < deadline) {
      await sleep(20);
      continue;
    }
    const [items, mails] = await Promise.all([collection.countDocuments({ channel: 'in-app' }), collection.countDocuments({ channel: 'email', status: 'delivered' })]);
    if (items >= 2 * EVENTS && mails >= 2 * EVENTS) break;
    if (Date.now() > deadline) throw new Error(`candidate: ${items} inbox items and ${mails} e-mails of ${2 * EVENTS} after ${TIMEOUT_MS} ms`);
    await sleep(100);
  }
  const candidateMs = performance.now() - started;
  const candidateCpu = cpuBetween(candidateCpuFrom, sampleCpu(cpuGroups));
  for (const s of subscriptions) s.unsubscribe();
  await producer.disconnect();
  await service.close();

  // Baseline: the same messages, consumed bare, the same documents inserted with the driver.
  const bare = db.collection('baseline_inbox');
  const ids = new Set(messages.map((m) => String(m.headers['ce_id'])));
  const consumer = kafka.consumer({ groupId: uniqueName('fanout-baseline') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let first = 0;
  let done = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const baselineCpuFrom = sampleCpu(cpuGroups);
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.['ce_id']?.toString() ?? '';
      if (!ids.has(id)) return;
      if (first === 0) first = performance.now();
      const data = JSON.parse(message.value?.toString() ?? '{}') as { delegateId: string; delegatorId: string; mandateId: string };
      const at = new Date().toISOString();
      await bare.insertMany(
        [data.delegateId, data.delegatorId].map((recipientId) => ({ _id: `${id}/${recipientId}` as never, recipientId, channel: 'in-app', title: 'Time to review the mandate', body: data.mandateId, read: false, archived: false, createdAt: at, source: { type: MandateReminderDue.type, id } })),
      );
      if (++done === EVENTS) finished();
    },
  });
  // A timer of its own, cleared after: a pending 20-minute sleep kept the process alive that long after the table.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`baseline: ${done} of ${EVENTS} after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)));
  await Promise.race([allDone, timedOut]).finally(() => clearTimeout(timer));
  const baselineMs = performance.now() - first;
  const baselineCpu = cpuBetween(baselineCpuFrom, sampleCpu(cpuGroups));
  await consumer.disconnect();
  const mailLeg = await emailLegAlone(infra.host, infra.ports.smtp, cpuGroups);
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  await broker.stop();

  const latencies = [...stored].flatMap(([id, at]) => {
    const sent = sentAt.get(id);
    return sent === undefined ? [] : [at - sent];
  });
  const candidate = EVENTS / (candidateMs / 1_000);
  const baseline = EVENTS / (baselineMs / 1_000);
  // The best any implementation could do on this machine if it did nothing but the baseline's work
  // and handed the same e-mails to the same SMTP server: the cores divided by the CPU both cost per
  // event. Counted from the named processes only (another session's load is in the machine's total);
  // the kernel's writeback is left out, so these are upper bounds. `withFreeMailer` also leaves out
  // the mailer's own CPU: the SMTP server's share of the e-mails is what no client can avoid.
  const cores = cpus().length;
  const mailServer = mailLeg.cpu.groups['mailpit'] ?? 0;
  const ceiling = cores / ((groupsTotal(baselineCpu) + groupsTotal(mailLeg.cpu)) / EVENTS);
  const withFreeMailer = cores / ((groupsTotal(baselineCpu) + mailServer) / EVENTS);
  reportBench({
    name: 'notification-fanout',
    unit: 'source events/s',
    baseline,
    candidate,
    ratio: candidate / baseline,
    target: 0.5,
    extra: {
      events: EVENTS,
      'inbox items / e-mails per event': '2 / 2',
      'candidate s (to the last e-mail recorded delivered)': round(candidateMs / 1_000, 2),
      'baseline s': round(baselineMs / 1_000, 2),
      'append → inbox item stored: p50 ms': round(percentile(latencies, 50)),
      'append → inbox item stored: p99 ms': round(percentile(latencies, 99)),
      'latency samples': latencies.length,
      'load average (1 min) at start': round(load, 2),
      ...(cpuAccountingSupported()
        ? {
            'CPU ms per event, candidate': JSON.stringify(perEvent(candidateCpu)),
            'CPU ms per event, baseline': JSON.stringify(perEvent(baselineCpu)),
            'e-mail leg alone: e-mails/s (16 connections)': round((2 * EVENTS - 1) / mailLeg.cpu.wallS, 1),
            'CPU ms per event, e-mail leg alone (2 e-mails)': JSON.stringify(perEvent(mailLeg.cpu)),
            'ceiling, baseline work + the e-mails by this mailer: events/s (ratio)': `${round(ceiling, 1)} (${round(ceiling / baseline, 3)})`,
            'ceiling, baseline work + the SMTP server\'s share only: events/s (ratio)': `${round(withFreeMailer, 1)} (${round(withFreeMailer / baseline, 3)})`,
          }
        : { 'CPU accounting': 'not on this OS (it reads /proc)' }),
      mongo: mongoUri,
    },
    notes:
      'Candidate: the service in-process (source consumer, dispatcher, delivery read model, SMTP to Mailpit), from the first produce to every inbox item stored and every e-mail recorded delivered. Baseline: bare kafkajs consume of the same messages + driver insertMany of the same 2 inbox documents per message.',
  });
}

/**
 * The e-mail leg on its own: the 2 × EVENTS e-mails of the world, rendered from the same template,
 * handed to the same SMTP server through the service's mailer (16 connections, 16 in flight: the
 * dispatcher's 8 notifications × 2), with nothing else running. Part of what any candidate must spend.
 */
async function emailLegAlone(host: string, port: number, groups: CpuGroups): Promise<{ cpu: CpuSpent }> {
  const mailer = new SmtpMailer({ host, port, ignoreTls: true, from: 'bench@leadership.example' });
  const template = templateFor('mandate.review-due', 'en-GB');
  const mails = Array.from({ length: 2 * EVENTS }, (_, n) => {
    const i = Math.floor(n / 2);
    const to = n % 2 === 0 ? delegate(i) : delegator(i);
    const data = { taskType: 'case-distribution', delegateName: delegate(i), unitName: 'support', mandateId: `fanout-mandate-${i}`, appUrl: 'http://localhost:4200' };
    return { messageId: `<mail-leg-${randomUUID()}@notifications.leadership>`, to: `${to}@bench.example`, ...renderTemplate(template, data, { locale: 'en-GB', timeZone: 'Europe/Stockholm' }) };
  });
  const [first, ...rest] = mails;
  if (first) await mailer.send(first); // the pool's first connection, as the service has it before its first event
  const from = sampleCpu(groups);
  const worker = async (): Promise<void> => {
    for (let mail = rest.shift(); mail; mail = rest.shift()) {
      const outcome = await mailer.send(mail);
      if (!outcome.delivered) throw new Error(`e-mail leg: ${outcome.error}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const cpu = cpuBetween(from, sampleCpu(groups));
  mailer.close();
  return { cpu };
}

rerunWithDecoratorMetadata(__filename, join(__dirname, '../tsconfig.json'));
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
