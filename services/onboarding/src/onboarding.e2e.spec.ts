import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { AuthorityProjection } from '@leadership/authority';
import { DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG, DIRECTORY_TOPIC, MANDATES_TOPIC } from '@leadership/delegation-contracts';
import { ensureTopics } from '@leadership/messaging-kafka';
import { BOOKINGS_TOPIC, REMINDERS_TOPIC, SESSIONS_TOPIC } from '@leadership/onboarding-contracts';
import { issueDevToken } from '@leadership/platform-nest';
import { serviceConfigFromEnv, startService, type RunningService } from '@leadership/platform-runtime';
import { eventually, startDedicatedKafka, startDelegationService, startServiceProcess, testInfra, uniqueName, type DedicatedKafka, type DelegationService, type ServiceProcess } from '@leadership/testing';
import { onboardingService } from './onboarding.app';

interface Published {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

interface MailpitMessage {
  readonly ID: string;
  readonly Subject: string;
}

/** A calendar message as it reached Mailpit: the MIME header of its text/calendar part, and the .ics parsed by ical.js. */
interface CalendarMail {
  readonly subject: string;
  readonly calendarPart: string;
  readonly method: string;
  readonly uid: string;
  readonly sequence: number;
  readonly status: string;
  readonly attendees: readonly string[];
}

/*
 * Issue #9's story on the real stack, three services real: the delegation service as its own
 * process (SQLite event store, read model, scheduler, relay to Kafka), the onboarding service
 * in-process, the notifications service as its own process sending the invitations to the
 * harness's Mailpit over SMTP; the MongoDB wire server of the jest harness, a Kafka broker of the
 * suite's own; dev tokens from one issuer key.
 *
 * Ana (formal manager of unit support) delegates onboarding to Cleo and case distribution to Ben;
 * a newcomer joins and the plan is generated; the session "How cases are distributed", presented by
 * the case manager of support, books Ben; Ben accepts; his calendar feed parses with ical.js; Ana
 * moves case distribution from Ben to Dan and the session moves with it; Ana revokes Cleo's
 * mandate: her next booking is 403 and her work goes back to Ana.
 */
describe('onboarding: the induction story across the delegation and onboarding services', () => {
  jest.setTimeout(360_000);
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-e2e-'));
  const keyFile = join(dir, 'dev-issuer.json');
  const run = uniqueName('induction').replace(/[^a-z0-9-]/g, '-');
  const unitId = `support-${run}`;
  const [ana, ben, cleo, dan, nina, otto] = ['ana', 'ben', 'cleo', 'dan', 'nina', 'otto'].map((name) => `${name}-${run}`) as [string, string, string, string, string, string];
  const onboardingDb = uniqueName('onboarding').replace(/-/g, '_');
  const delegationDb = uniqueName('delegation').replace(/-/g, '_');
  const notificationsDb = uniqueName('notifications').replace(/-/g, '_');
  let notifications: ServiceProcess | undefined;
  const email = (personId: string) => `${personId}@example.test`;
  const mailpit = () => testInfra().mailpit.apiUrl;
  const mailsTo = async (personId: string): Promise<MailpitMessage[]> => {
    const response = await fetch(`${mailpit()}/api/v1/search?query=${encodeURIComponent(`to:"${email(personId)}"`)}&limit=200`);
    return ((await response.json()) as { messages: MailpitMessage[] }).messages;
  };
  /** The calendar e-mails a person received (oldest first), each read from Mailpit: the raw text/calendar part and the .ics attachment parsed by ical.js. */
  const calendarMailsTo = async (personId: string): Promise<CalendarMail[]> => {
    const found: CalendarMail[] = [];
    for (const mail of [...(await mailsTo(personId))].reverse()) {
      const message = (await (await fetch(`${mailpit()}/api/v1/message/${mail.ID}`)).json()) as { Attachments: { PartID: string; FileName: string }[] };
      const invite = message.Attachments.find((a) => a.FileName === 'invite.ics');
      if (!invite) continue;
      const raw = await (await fetch(`${mailpit()}/api/v1/message/${mail.ID}/raw`)).text();
      const ics = await (await fetch(`${mailpit()}/api/v1/message/${mail.ID}/part/${invite.PartID}`)).text();
      const calendar = new ICAL.Component(ICAL.parse(ics));
      const vevent = calendar.getFirstSubcomponent('vevent');
      if (!vevent) continue;
      found.push({
        subject: mail.Subject,
        calendarPart: raw.split(/\r?\n/).find((line) => line.startsWith('Content-Type: text/calendar')) ?? '',
        method: String(calendar.getFirstPropertyValue('method')),
        uid: String(vevent.getFirstPropertyValue('uid')),
        sequence: Number(vevent.getFirstPropertyValue('sequence')),
        status: String(vevent.getFirstPropertyValue('status')),
        attendees: vevent.getAllProperties('attendee').map((property) => String(property.getFirstValue())),
      });
    }
    return found;
  };
  const published: Published[] = [];
  let broker: DedicatedKafka | undefined;
  let delegation: DelegationService | undefined;
  let service: RunningService | undefined;
  let consumer: Consumer | undefined;

  const url = (): string => {
    if (!service) throw new Error('the onboarding service did not start');
    return service.url;
  };
  const token = (sub: string, roles: string[] = []) => issueDevToken({ sub, roles, keyFile });
  const as = async (sub: string, roles: string[] = []) => ({ Authorization: `Bearer ${await token(sub, roles)}` });
  const delegationCall: DelegationService['call'] = (...args) => {
    if (!delegation) throw new Error('the delegation service did not start');
    return delegation.call(...args);
  };
  const authorityOf = () => {
    if (!service) throw new Error('no service');
    return service.app.get(AuthorityProjection);
  };
  /** Ana proposes a mandate, the delegate accepts; resolves with its id once this service's projection says it is in force. */
  const delegate = async (delegateId: string, taskType: string, authorities: string[], authority: string) => {
    const proposed = await delegationCall('POST', '/mandates', ana, {
      delegateId,
      taskType,
      scope: { unitId },
      direction: { purpose: `${taskType} for support while Ana leads the merger`, successCriteria: ['nobody waits'] },
      framework: { rules: [{ id: 'r1', text: 'Ask Ana before changing the programme', mode: 'warn' }], reservedDecisions: ['hiring'], escalationContactId: ana },
      authorities,
      period: { from: new Date(Date.now() + 1_000).toISOString(), until: new Date(Date.now() + 60 * DAY_MS).toISOString() },
      reviewCadenceDays: 14,
    });
    expect(proposed.status).toBe(201);
    const mandateId = String(proposed.body['mandateId']);
    expect((await delegationCall('POST', `/mandates/${mandateId}/accept`, delegateId, undefined, { 'If-Match': proposed.etag ?? '' })).status).toBe(200);
    // mayFresh: granted and the projection caught up with the delegation topics (a new authority group
    // reads the whole mandates topic first: tens of thousands of messages on a shared broker).
    const granted = await eventually(() => {
      const answer = authorityOf().mayFresh({ personId: delegateId, authority, unitId });
      return answer.allowed && answer.mandateId === mandateId ? answer : undefined;
    }, { timeoutMs: 240_000, what: `${delegateId}'s ${taskType} mandate in the onboarding service's projection` }).catch((error: unknown) => {
      // The delegation service runs as a process: its log says whether it activated and published the mandate.
      throw new Error(`${error instanceof Error ? error.message : String(error)}\ndelegation log:\n${delegation?.logTail(40) ?? ''}`);
    });
    return { mandateId, version: Number(granted.mandateVersion) };
  };
  const revoke = async (mandateId: string, personId: string, authority: string) => {
    const current = await delegationCall('GET', `/mandates/${mandateId}`, ana);
    expect((await delegationCall('POST', `/mandates/${mandateId}/revoke`, ana, { reason: 'the task moves' }, { 'If-Match': current.etag ?? '' })).status).toBe(200);
    await eventually(() => (authorityOf().may({ personId, authority, unitId }).allowed ? undefined : true), { timeoutMs: 60_000, what: `the revocation of ${mandateId} in the projection` });
  };
  const bookingsOf = async (personId: string) =>
    (await request(url()).get(`/bookings?personId=${personId}`).set(await as(personId))).body.items as { bookingId: string; sessionId: string; personId: string; status: string; resolution: Record<string, unknown> }[];

  beforeAll(async () => {
    const infra = testInfra();
    // A broker of its own: a new authority group reads the whole mandates topic before it may grant,
    // and the shared dev broker carries tens of thousands of mandate events from benchmarks and other suites.
    broker = await startDedicatedKafka({ name: 'onboarding-e2e', port: 19492 });
    await broker.start();
    const brokers = broker.brokers.join(',');
    const kafka = new Kafka({ clientId: 'onboarding-e2e', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [
      { topic: MANDATES_TOPIC, cleanupPolicy: 'compact' },
      { topic: DIRECTORY_TOPIC, cleanupPolicy: 'compact' },
      { topic: SESSIONS_TOPIC, cleanupPolicy: 'compact' },
      { topic: BOOKINGS_TOPIC, cleanupPolicy: 'delete' },
      { topic: REMINDERS_TOPIC, cleanupPolicy: 'delete' },
      // The delegation relay's progress reports, without which the authority projection is never fresh.
      DELEGATION_RELAY_PROGRESS_TOPIC_CONFIG,
    ]);
    // The dev issuer's key, shared by both services (written once, before either starts).
    await token('setup');
    delegation = await startDelegationService({ dir, mongoUri: infra.mongo.uri, dbName: delegationDb, brokers, keyFile, token });
    const config = serviceConfigFromEnv(
      'onboarding',
      { defaultPort: 0, workspaceRoot: dir },
      {
        ONBOARDING_PORT: '0',
        ONBOARDING_EVENT_STORE: join(dir, 'onboarding.sqlite'),
        MONGO_URI: infra.mongo.uri,
        ONBOARDING_MONGO_DB: onboardingDb,
        KAFKA_BROKERS: brokers,
      },
    );
    service = await startService(onboardingService(config, { auth: { mode: 'dev', keyFile }, authorityGroup: uniqueName('onb-authority'), mandatesGroup: uniqueName('onb-mandates'), remindersIntervalMs: 1_000 }));
    // Notifications as npm start runs it: it turns the onboarding topics into e-mails (Mailpit). Its
    // source group is new and starts at the end of the topics (news only): it must be running, and
    // its /health 200 (consumers joined, authority caught up), before the story publishes anything.
    notifications = await startServiceProcess({
      name: 'notifications',
      env: {
        NOTIFICATIONS_EVENT_STORE: join(dir, 'notifications.sqlite'),
        MONGO_URI: infra.mongo.uri,
        NOTIFICATIONS_MONGO_DB: notificationsDb,
        KAFKA_BROKERS: brokers,
        AUTH_MODE: 'dev',
        AUTH_DEV_KEY_FILE: keyFile,
        SMTP_HOST: infra.smtp.host,
        SMTP_PORT: String(infra.smtp.port),
        NOTIFICATIONS_DIRECTORY_URL: delegation.url,
        NOTIFICATIONS_AUTHORITY_GROUP: uniqueName('onb-n-authority'),
        NOTIFICATIONS_CONSUMER_GROUP: uniqueName('onb-n-sources'),
        NOTIFICATIONS_DIRECTORY_GROUP: uniqueName('onb-n-directory'),
        LOG_LEVEL: 'warn',
      },
    });
    const notificationsUrl = notifications.url;
    await eventually(async () => ((await fetch(`${notificationsUrl}/health`)).status === 200 ? true : undefined), { timeoutMs: 120_000, what: 'the notifications service healthy' }).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nnotifications log:\n${notifications?.logTail(40) ?? ''}`);
    });
    consumer = kafka.consumer({ groupId: uniqueName('onboarding-e2e') });
    await consumer.connect();
    await consumer.subscribe({ topics: [SESSIONS_TOPIC, BOOKINGS_TOPIC], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        published.push({ type: message.headers?.['ce_type']?.toString() ?? '', data: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown> });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.close();
    await notifications?.stop();
    await delegation?.stop();
    await broker?.stop();
    const client = await MongoClient.connect(testInfra().mongo.uri);
    await Promise.all([client.db(onboardingDb).dropDatabase().catch(() => undefined), client.db(delegationDb).dropDatabase().catch(() => undefined), client.db(notificationsDb).dropDatabase().catch(() => undefined)]);
    await client.close();
  });

  let cleoMandate = '';
  let benMandate = '';
  let sessionId = '';
  let benBooking = '';
  const startDate = new Date(Date.now() + 14 * DAY_MS).toISOString().slice(0, 10);

  it('Ana delegates onboarding of support to Cleo and case distribution to Ben', async () => {
    const person = (id: string) => ({ id, displayName: id, email: `${id}@example.test`, locale: 'sv-SE', unitIds: [unitId] });
    const imported = await delegationCall('POST', '/directory/import', 'hr-system', { units: [{ id: unitId, name: 'Support', parentId: null, managerIds: [ana] }], people: [ana, ben, cleo, dan, nina, otto].map(person) }, {}, ['admin']);
    expect(imported.status).toBe(200);
    cleoMandate = (await delegate(cleo, 'onboarding', ['onboarding.plan', 'onboarding.book-presenter'], 'onboarding.book-presenter')).mandateId;
    benMandate = (await delegate(ben, 'case-distribution', ['cases.assign'], 'cases.assign')).mandateId;
  });

  it('Cleo defines the programme; a stranger may not (403 naming the authority)', async () => {
    const programme = {
      unitId,
      title: 'Support basics',
      steps: [
        { key: 'how-cases-are-distributed', kind: 'session', title: 'How cases are distributed', dayOffset: 2, time: '10:00', durationMinutes: 60, location: 'Room Vänern', presenter: { role: { taskType: 'case-distribution', unitId } } },
        { key: 'sign-policies', kind: 'task', title: 'Sign the security policies', dayOffset: 0, owner: 'newcomer' },
      ],
    };
    const refused = await request(url()).put(`/programmes/basics-${run}`).set(await as(dan)).send(programme);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ authority: 'onboarding.plan', unitId });
    const defined = await request(url()).put(`/programmes/basics-${run}`).set(await as(cleo)).send(programme);
    expect(defined.status).toBe(201);
    expect(defined.body).toMatchObject({ programmeId: `basics-${run}`, version: 1 });
  });

  it('a newcomer joins: the plan is generated, the session scheduled and Ben (the case manager of support) asked, on Cleo\'s mandate', async () => {
    const created = await request(url()).post('/newcomers').set(await as(cleo)).send({ personId: nina, unitId, startDate, timeZone: 'Europe/Stockholm', programmeIds: [`basics-${run}`] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ newcomerId: nina, status: 'active', organiserId: cleo });
    const session = (created.body.steps as { key: string; kind: string; sessionId?: string; start?: string }[]).find((step) => step.kind === 'session');
    sessionId = String(session?.sessionId);
    expect(created.body.bookings).toEqual([expect.objectContaining({ sessionId, personId: ben, problem: null })]);
    const [booking] = await bookingsOf(ben);
    expect(booking).toMatchObject({ sessionId, personId: ben, status: 'requested', resolution: { basis: 'role', mandateId: benMandate }, stamp: { basis: 'mandate', mandateId: cleoMandate, actorId: cleo } });
    benBooking = String(booking?.bookingId);
  });

  it('Ben accepts: the plan shows him presenting and his unavailability is published for case routing', async () => {
    expect((await request(url()).post(`/bookings/${benBooking}/accept`).set(await as(dan))).status).toBe(403);
    const accepted = await request(url()).post(`/bookings/${benBooking}/accept`).set(await as(ben));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ bookingId: benBooking, status: 'confirmed' });
    const plan = await request(url()).get(`/newcomers/${nina}/plan`).set(await as(nina));
    expect(plan.status).toBe(200);
    expect(plan.body.steps).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'how-cases-are-distributed', sessionId, presenterId: ben })]));
    const window = await eventually(() => published.find((m) => m.type.endsWith('presenter-unavailability-changed.v1') && m.data['personId'] === ben && m.data['kind'] === 'unavailable'), { timeoutMs: 30_000, what: "Ben's presenter window on Kafka" });
    expect(window.data).toMatchObject({ sessionId });
  });

  it('the invitation with a text/calendar part reaches Mailpit: Ben (chair) and Nina, in Swedish, under the session UID', async () => {
    const uid = `session-${sessionId}@leadership`;
    const invitation = await eventually(async () => (await calendarMailsTo(ben)).find((mail) => mail.method === 'REQUEST' && mail.uid === uid), {
      timeoutMs: 60_000,
      what: "Ben's invitation in Mailpit",
    }).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nnotifications log:\n${notifications?.logTail(40) ?? ''}`);
    });
    expect(invitation.subject).toMatch(/^Inbjudan: How cases are distributed/);
    expect(invitation.calendarPart).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    expect(invitation.status).toBe('CONFIRMED');
    expect(invitation.attendees).toEqual(expect.arrayContaining([`mailto:${email(ben)}`, `mailto:${email(nina)}`]));
    // Nina has it too, at the same or a later SEQUENCE than when it was first scheduled.
    const ninas = await eventually(async () => {
      const mails = (await calendarMailsTo(nina)).filter((mail) => mail.uid === uid && mail.method === 'REQUEST');
      return mails.some((mail) => mail.attendees.includes(`mailto:${email(ben)}`)) ? mails : undefined;
    }, { timeoutMs: 60_000, what: "Nina's invitation with Ben presenting" });
    expect(Math.max(...ninas.map((mail) => mail.sequence))).toBe(invitation.sequence);
    // Ben was asked first, by e-mail too.
    expect((await mailsTo(ben)).some((mail) => mail.Subject.startsWith('Kan du presentera How cases are distributed'))).toBe(true);
  });

  it("Ben's calendar feed (secret, rotatable token) parses with ical.js", async () => {
    const rotated = await request(url()).post(`/calendars/${ben}/token`).set(await as(ben));
    expect(rotated.status).toBe(200);
    expect((await request(url()).post(`/calendars/${ben}/token`).set(await as(cleo))).status).toBe(403);
    const feedPath = new URL(String(rotated.body.url)).pathname + new URL(String(rotated.body.url)).search;
    const feed = await request(url()).get(feedPath);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(feed.text));
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    expect(events.map((event) => [event.uid, event.summary, event.location])).toEqual([[`session-${sessionId}@leadership`, 'How cases are distributed', 'Room Vänern']]);
    // 10:00 in Stockholm on the third day.
    expect(events[0]?.startDate.toJSDate().toISOString()).toMatch(/T0[89]:00:00\.000Z$/);
    expect((await request(url()).get(feedPath.replace(/token=[^&]+/, 'token=not-the-token-of-this-feed'))).status).toBe(404);
    const again = await request(url()).post(`/calendars/${ben}/token`).set(await as(ben));
    expect((await request(url()).get(feedPath)).status).toBe(404);
    expect((await request(url()).get(new URL(String(again.body.url)).pathname + new URL(String(again.body.url)).search)).status).toBe(200);
  });

  it('refuses to double-book Ben: 409 naming the other booking', async () => {
    const created = await request(url()).post('/newcomers').set(await as(cleo)).send({ personId: otto, unitId, startDate, timeZone: 'Europe/Stockholm', programmeIds: [`basics-${run}`] });
    expect(created.status).toBe(201);
    expect(created.body.bookings[0]).toMatchObject({ bookingId: null, problem: { rule: 'presenter.double-booked' } });
    const otherSession = String(created.body.bookings[0].sessionId);
    const refused = await request(url()).post(`/sessions/${otherSession}/presenter-requests`).set(await as(cleo)).send({ personId: ben });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ otherBookingId: benBooking, otherSessionId: sessionId });
    const overview = await request(url()).get(`/units/${unitId}/onboarding`).set(await as(cleo));
    expect(overview.status).toBe(200);
    expect(overview.body.sessionsWithoutPresenter.map((s: { sessionId: string }) => s.sessionId)).toEqual(expect.arrayContaining([otherSession]));
  });

  it('Ana moves case distribution from Ben to Dan: Ben is released (slot freed), Dan is asked and accepts, the calendars follow', async () => {
    await revoke(benMandate, ben, 'cases.assign');
    await eventually(async () => ((await bookingsOf(ben)).find((b) => b.bookingId === benBooking)?.status === 'released' ? true : undefined), { timeoutMs: 30_000, what: "Ben's booking released" });
    const danMandate = (await delegate(dan, 'case-distribution', ['cases.assign'], 'cases.assign')).mandateId;
    const danBooking = await eventually(async () => (await bookingsOf(dan)).find((b) => b.sessionId === sessionId && b.status === 'requested'), { timeoutMs: 30_000, what: 'Dan asked to present' });
    expect(danBooking.resolution).toMatchObject({ basis: 'role', mandateId: danMandate });
    expect((await request(url()).post(`/bookings/${danBooking.bookingId}/accept`).set(await as(dan))).status).toBe(200);
    const plan = await request(url()).get(`/newcomers/${nina}/plan`).set(await as(cleo));
    expect(plan.body.steps).toEqual(expect.arrayContaining([expect.objectContaining({ sessionId, presenterId: dan })]));
    // On Kafka: Ben's booking released (notifications sends him the CANCEL), his window withdrawn, the session's SEQUENCE raised.
    await eventually(() => published.find((m) => m.type.endsWith('booking-changed.v1') && m.data['bookingId'] === benBooking && m.data['kind'] === 'released'), { timeoutMs: 30_000, what: 'BookingChanged released' });
    await eventually(() => published.find((m) => m.type.endsWith('presenter-unavailability-changed.v1') && m.data['personId'] === ben && m.data['kind'] === 'withdrawn'), { timeoutMs: 30_000, what: "Ben's window withdrawn" });
    const sessionChanges = await eventually(() => {
      const changes = published.filter((m) => m.type.endsWith('session-changed.v1') && m.data['sessionId'] === sessionId);
      return changes.some((m) => m.data['presenterId'] === dan) ? changes : undefined;
    }, { timeoutMs: 30_000, what: 'SessionChanged with Dan presenting' });
    expect(sessionChanges.map((m) => m.data['change'])).toEqual(expect.arrayContaining(['presenter-assigned', 'presenter-unassigned']));
    const sequences = sessionChanges.map((m) => Number(m.data['sequence']));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    // Dan's feed holds the session; Ben's no longer does.
    const feedOf = async (personId: string) => {
      const rotated = await request(url()).post(`/calendars/${personId}/token`).set(await as(personId));
      const feed = await request(url()).get(new URL(String(rotated.body.url)).pathname + new URL(String(rotated.body.url)).search);
      return new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent).uid);
    };
    expect(await feedOf(dan)).toEqual([`session-${sessionId}@leadership`]);
    expect(await feedOf(ben)).toEqual([]);
    // Mailpit: Ben gets a CANCEL under the same UID at a higher SEQUENCE than his invitation; Dan gets a new invitation.
    const uid = `session-${sessionId}@leadership`;
    const bens = await eventually(async () => {
      const mails = (await calendarMailsTo(ben)).filter((mail) => mail.uid === uid);
      return mails.some((mail) => mail.method === 'CANCEL') ? mails : undefined;
    }, { timeoutMs: 60_000, what: "Ben's CANCEL in Mailpit" });
    const cancel = bens.find((mail) => mail.method === 'CANCEL');
    const invited = bens.find((mail) => mail.method === 'REQUEST');
    expect(cancel).toMatchObject({ status: 'CANCELLED', attendees: [`mailto:${email(ben)}`] });
    expect(cancel?.calendarPart).toMatch(/method=CANCEL/);
    expect(Number(cancel?.sequence)).toBeGreaterThan(Number(invited?.sequence));
    const dans = await eventually(async () => (await calendarMailsTo(dan)).find((mail) => mail.uid === uid && mail.method === 'REQUEST'), { timeoutMs: 60_000, what: "Dan's invitation in Mailpit" });
    expect(dans.sequence).toBeGreaterThan(Number(cancel?.sequence));
    expect(dans.attendees).toEqual(expect.arrayContaining([`mailto:${email(dan)}`]));
    expect(dans.attendees).not.toContain(`mailto:${email(ben)}`);
  });

  it("Ana revokes Cleo's mandate: Cleo's next booking is 403 and her plans and sessions go back to Ana", async () => {
    await revoke(cleoMandate, cleo, 'onboarding.book-presenter');
    const refused = await request(url()).post(`/sessions/${sessionId}/presenter-requests`).set(await as(cleo)).send({ personId: ben });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ authority: 'onboarding.book-presenter', unitId, mandateId: cleoMandate });
    const plan = await eventually(async () => {
      const response = await request(url()).get(`/newcomers/${nina}/plan`).set(await as(ana));
      return response.body.organiserId === ana ? response.body : undefined;
    }, { timeoutMs: 30_000, what: "Nina's plan handed to Ana" });
    expect(plan.steps).toEqual(expect.arrayContaining([expect.objectContaining({ sessionId, organiserId: ana, presenterId: dan })]));
  });

  it('answers problem+json: 401 without a token, 400 for unknown fields, 404 for an unknown plan, 428 without If-Match', async () => {
    expect((await request(url()).post('/newcomers').send({})).status).toBe(401);
    expect((await request(url()).post('/newcomers').set(await as(ana)).send({ personId: 'x', unitId, startDate, timeZone: 'Europe/Stockholm', programmeIds: ['p'], extra: 1 })).status).toBe(400);
    expect((await request(url()).get('/newcomers/nobody/plan').set(await as(ana))).status).toBe(404);
    expect((await request(url()).patch(`/newcomers/${nina}/plan`).set(await as(ana)).send({ edits: [{ op: 'complete-plan' }] })).status).toBe(428);
  });
});
