/*
 * npm run bench -- onboarding-plan
 *
 * Plans generated per second through the onboarding command path, against the bare event-store
 * append of the same events in the same run (issue #9: ratio ≥ 0.5).
 *
 * World: one programme of 40 steps (10 sessions without a presenter, 30 tasks, some waiting for
 * others), defined once on each of two SQLite event-store files in a temp dir (synchronous=FULL,
 * as the service opens them).
 *
 * Candidate: `CreateNewcomerHandler.execute` as `POST /newcomers` runs it (without HTTP): the
 * authority check (an in-memory grant, as the projection answers from memory), the programme read
 * from its stream, `GeneratePlan` decided and appended through `handleCommand` (validation of the
 * 40 steps, DST-correct scheduling in Europe/Stockholm), then `PlanSessions.sync`: per session the
 * stream read, the board caught up, `ScheduleSession` decided and appended. One plan = 11 appends.
 *
 * Baseline: the very events the candidate appended for that plan (read back untimed: same streams,
 * data and metadata), appended bare to the second store, one append per stream at "no stream",
 * right after the candidate's plan, so both sides see the same disk. Plans per second = plans /
 * time spent appending them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, NewEvent, RecordedEvent } from '@leadership/event-store';
import { SqliteEventStore } from '@leadership/event-store-adapters';
import {
  CreateNewcomerHandler,
  DefineProgrammeHandler,
  OnboardingBoard,
  PlanSessions,
  InMemoryOnboardingPeople,
  PresenterBookings,
  PresenterChoices,
  RequestPresenterHandler,
  type OnboardingAuthority,
} from '@leadership/onboarding-application';
import type { StepInput } from '@leadership/onboarding-domain';
import { reportBench, round } from '@leadership/testing';

const PLANS = Number(process.env['BENCH_PLANS'] ?? 120);
const WARMUP_PLANS = 10;
const UNIT = 'unit-support';

/** Ana as formal manager of the unit: what the projection answers from memory. */
const authority: OnboardingAuthority = {
  authorise: (actorId) => ({ basis: 'formal-manager', mandateId: null, mandateVersion: null, actorId }),
  holds: () => true,
  roleHolder: () => null,
  formalManagerOf: () => 'person-ana',
};

/** 40 steps: a session every fourth step (10), tasks in between, every other task waiting for the one before. */
const steps: StepInput[] = Array.from({ length: 40 }, (_, i): StepInput => {
  const key = `step-${String(i).padStart(2, '0')}`;
  if (i % 4 === 0) return { key, kind: 'session', title: `Session ${i}`, dayOffset: Math.floor(i / 4), time: '10:00', durationMinutes: 60, location: 'Room Vänern' };
  const after = i % 2 === 0 ? `step-${String(i - 1).padStart(2, '0')}` : undefined;
  return { key, kind: 'task', title: `Task ${i}`, dayOffset: Math.floor(i / 4) - 2, owner: 'newcomer', ...(after ? { after } : {}) };
});

function world(file: string) {
  const store: EventStore = new SqliteEventStore(file);
  const now = () => new Date('2026-10-01T08:00:00.000Z');
  const board = new OnboardingBoard(store);
  const people = new InMemoryOnboardingPeople();
  const bookings = new PresenterBookings(store, board, people, now);
  const presenters = new RequestPresenterHandler(bookings, board, authority, new PresenterChoices(store, board, authority, people, bookings, now), () => 'unused');
  const newcomers = new CreateNewcomerHandler(store, authority, new PlanSessions(store, board, presenters, bookings, now), now);
  return { store, newcomers, programmes: new DefineProgrammeHandler(store, authority, now) };
}

const asNew = (event: RecordedEvent): NewEvent => ({ type: event.type, data: event.data, metadata: event.metadata });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-plan-bench-'));
  const candidate = world(join(dir, 'candidate.sqlite'));
  const baseline = new SqliteEventStore(join(dir, 'baseline.sqlite'));
  const context = { actorId: 'person-ana' };
  await candidate.programmes.execute({ programmeId: 'basics', unitId: UNIT, title: 'Support basics', steps }, context);
  // The baseline holds the same programme (untimed), so both files grow alike.
  for (const event of await candidate.store.readAll()) await baseline.appendToStream(event.streamName, [asNew(event)], 'no_stream');
  let position = (await candidate.store.readAll()).at(-1)?.position;
  let candidateMs = 0;
  let baselineMs = 0;
  let appends = 0;
  for (let i = 0; i < WARMUP_PLANS + PLANS; i++) {
    const input = { personId: `person-${i}`, unitId: UNIT, startDate: '2026-10-19', timeZone: 'Europe/Stockholm', programmeIds: ['basics'] };
    const started = performance.now();
    await candidate.newcomers.execute(input, context);
    const candidateTook = performance.now() - started;
    const written = await candidate.store.readAll(position !== undefined ? { after: position } : {});
    position = written.at(-1)?.position ?? position;
    const bare = performance.now();
    for (const event of written) await baseline.appendToStream(event.streamName, [asNew(event)], 'no_stream');
    const baselineTook = performance.now() - bare;
    if (i < WARMUP_PLANS) continue;
    candidateMs += candidateTook;
    baselineMs += baselineTook;
    appends += written.length;
  }
  const candidateRate = (PLANS * 1000) / candidateMs;
  const baselineRate = (PLANS * 1000) / baselineMs;
  reportBench({
    name: 'onboarding-plan',
    unit: 'plans/s',
    baseline: baselineRate,
    candidate: candidateRate,
    ratio: candidateRate / baselineRate,
    target: 0.5,
    extra: { plans: PLANS, stepsPerPlan: steps.length, appendsPerPlan: round(appends / PLANS, 1), candidateMsPerPlan: round(candidateMs / PLANS, 2), baselineMsPerPlan: round(baselineMs / PLANS, 2) },
    notes: 'SQLite synchronous=FULL; candidate = CreateNewcomerHandler (authority, programme read, GeneratePlan, 10 × ScheduleSession with board catch-up); baseline = bare appends of the same events',
  });
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
