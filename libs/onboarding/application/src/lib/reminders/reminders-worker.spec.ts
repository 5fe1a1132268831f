import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@leadership/event-store';
import { REMINDER_STREAM_CATEGORY, type TaskReminderFired } from '@leadership/onboarding-domain';
import { openTestEventStore } from '@leadership/testing';
import { OnboardingBoard } from '../board/onboarding-board';
import { PresenterBookings } from '../booking/presenter-bookings/presenter-bookings';
import { PresenterChoices } from '../booking/presenter-choices/presenter-choices';
import { InMemoryOnboardingPeople } from '../directory/onboarding-people.port';
import { CLEO, FakeAuthority, NINA, onboardingWorld, UNIT } from '../../spec/onboarding-world.fixture';
import { RemindersWorker, type RemindersWorkerOptions } from './reminders-worker';

/*
 * The reminders fire once each, across restarts and beside a second writer, in the newcomer's zone
 * (Europe/Stockholm, a deadline in the week of the October change). Each "process" is its own
 * store object on one SQLite file, with its own board rebuilt from it.
 */
describe('RemindersWorker', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'onboarding-reminders-')), 'events.sqlite');
  const clock = { now: new Date('2026-10-01T07:00:00.000Z') };
  const process = (options: RemindersWorkerOptions = {}): { store: EventStore; worker: RemindersWorker; choices: PresenterChoices } => {
    const store = openTestEventStore(file);
    const now = () => clock.now;
    const board = new OnboardingBoard(store);
    const people = new InMemoryOnboardingPeople();
    const bookings = new PresenterBookings(store, board, people, now);
    const choices = new PresenterChoices(store, board, new FakeAuthority(), people, bookings, now);
    return { store, worker: new RemindersWorker(store, board, bookings, choices, now, options), choices };
  };
  const fired = async (store: EventStore) =>
    (await store.readAll({ filter: { streamCategories: [REMINDER_STREAM_CATEGORY] } })).map((event) => event.data as TaskReminderFired['data']);

  beforeAll(async () => {
    const store = openTestEventStore(file);
    const world = onboardingWorld(store, clock);
    // A task due at the end of Wednesday 2026-10-28, the week the clocks go back (Sunday 25th).
    await world.programmes.execute({ programmeId: 'p', unitId: UNIT, title: 'Basics', steps: [{ key: 'sign-policies', kind: 'task', title: 'Sign the policies', dayOffset: 2, owner: 'newcomer' }] }, { actorId: CLEO });
    await world.newcomers.execute({ personId: NINA, unitId: UNIT, startDate: '2026-10-26', timeZone: 'Europe/Stockholm', programmeIds: ['p'] }, { actorId: CLEO });
  });

  it('retries a failed pass soon (not after the whole interval), so /health recovers when MongoDB returns', async () => {
    const { worker, choices } = process({ intervalMs: 60_000, retryAfterFailureMs: 20 });
    jest.spyOn(choices, 'releaseAbsent').mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:27117')).mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:27117'));
    await worker.start();
    try {
      const started = Date.now();
      while (worker.status().passes < 1 && Date.now() - started < 2_000) await new Promise((resolve) => setTimeout(resolve, 10));
      // Two failures (20 ms, then 40 ms) and a pass that succeeds, long before the 60 s interval.
      expect(worker.status()).toMatchObject({ passes: 1, lastError: undefined });
      expect(choices.releaseAbsent).toHaveBeenCalledTimes(3);
    } finally {
      await worker.stop();
    }
  });

  it('fires nothing before 09:00 local seven days ahead, then the 7-day reminder once, also after a restart', async () => {
    const first = process();
    clock.now = new Date('2026-10-21T06:59:00.000Z');
    expect(await first.worker.pass()).toMatchObject({ fired: 0 });
    // 09:00 in Stockholm on Wednesday 21 October (summer time, UTC+2).
    clock.now = new Date('2026-10-21T07:00:00.000Z');
    expect(await first.worker.pass()).toMatchObject({ fired: 1 });
    expect(await first.worker.pass()).toMatchObject({ fired: 0, alreadyFired: 0 });
    // Restart: a new process rebuilds its board from the store and finds the reminder in the ledger.
    const restarted = process();
    expect(await restarted.worker.pass()).toMatchObject({ fired: 0, alreadyFired: 0 });
    expect((await fired(restarted.store)).map((r) => [r.kind, r.daysBefore, r.fireAt])).toEqual([['task-due-soon', 7, '2026-10-21T07:00:00.000Z']]);
  });

  it('fires the 2-day reminder at 09:00 winter time once, even with two writers computing it at the same moment', async () => {
    // Monday 26 October, 09:00 in Stockholm is 08:00 UTC after the change.
    clock.now = new Date('2026-10-26T08:00:00.000Z');
    const a = process();
    const b = process();
    // Both compute it; the ledger takes it once (the loser's append is refused, or absorbed as the same event id).
    await Promise.all([a.worker.pass(), b.worker.pass()]);
    const reminders = await fired(a.store);
    expect(reminders.map((r) => [r.kind, r.daysBefore, r.fireAt])).toEqual([
      ['task-due-soon', 7, '2026-10-21T07:00:00.000Z'],
      ['task-due-soon', 2, '2026-10-26T08:00:00.000Z'],
    ]);
  });

  it('tells the onboarding manager at the deadline and escalates to the formal manager three days later, once each', async () => {
    clock.now = new Date('2026-10-28T23:00:00.000Z');
    const worker = process();
    expect(await worker.worker.pass()).toMatchObject({ fired: 1 });
    clock.now = new Date('2026-10-31T08:00:00.000Z');
    expect(await process().worker.pass()).toMatchObject({ fired: 1 });
    expect(await process().worker.pass()).toMatchObject({ fired: 0 });
    const reminders = await fired(worker.store);
    expect(reminders.slice(2).map((r) => [r.kind, r.recipient])).toEqual([
      ['task-overdue', { personId: CLEO }],
      ['task-overdue-escalated', { role: 'formal-manager', unitId: UNIT }],
    ]);
    expect(new Set(reminders.map((r) => r.reminderId)).size).toBe(reminders.length);
  });
});
