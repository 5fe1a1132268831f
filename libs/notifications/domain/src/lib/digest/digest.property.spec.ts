import { fold } from '@leadership/kernel';
import { mulberry32, STOCKHOLM, T0 } from '../../spec/notifications.fixtures';
import { digestWindow, nextDigestWindow, type DigestWindow } from '../preferences/digest-window';
import { digestIdFor } from '../stream-names';
import type { DigestCommand } from './digest.commands';
import { digestDecider, type DigestState } from './digest.decider';
import { DigestAlreadyReleasedError } from './digest.errors';
import type { DigestEvent } from './digest.events';

/*
 * Random interleavings of triggers (each notification added, sometimes several times: redeliveries
 * and retries, late, or concurrently from two workers reading the same revision) and releases
 * (repeated, racing the adds) on one person's hourly windows, run against an event store simulated
 * as it behaves: an append succeeds only at the revision the writer read. Whatever the order: every
 * added notification is released exactly once overall (in its window or a later one), and no window
 * is released twice.
 */

const PERSON = 'person-ben';
const CATEGORY = 'cases';

interface Store {
  readonly streams: Map<string, DigestEvent[]>;
}

/** handleCommand as the event-store port does it: read, decide, append at the revision read (a conflict is retried by the caller). */
function append(store: Store, digestId: string, read: number, events: readonly DigestEvent[]): 'ok' | 'conflict' {
  const stream = store.streams.get(digestId) ?? [];
  if (stream.length !== read) return 'conflict';
  store.streams.set(digestId, [...stream, ...events]);
  return 'ok';
}

const stateOf = (store: Store, digestId: string): DigestState => fold(digestDecider, store.streams.get(digestId) ?? []);

/** The application's add: the window planned with the delivery first, then the next ones while released without it. */
function* addSteps(store: Store, notificationId: string, planned: DigestWindow, at: () => string): Generator<void, void> {
  let window = planned;
  for (;;) {
    const digestId = digestIdFor(PERSON, CATEGORY, window.key);
    const read = store.streams.get(digestId)?.length ?? 0;
    const command: DigestCommand = { type: 'AddToDigest', data: { digestId, actorId: 'w', at: at(), personId: PERSON, category: CATEGORY, window, timeZone: STOCKHOLM, notificationId, deliveryId: `d-${notificationId}` } };
    let events: readonly DigestEvent[];
    try {
      events = digestDecider.decide(command, stateOf(store, digestId));
    } catch (error) {
      if (!(error instanceof DigestAlreadyReleasedError)) throw error;
      window = nextDigestWindow(window, STOCKHOLM);
      continue;
    }
    // Another worker may write between this worker's read and its append.
    yield;
    if (append(store, digestId, read, events) === 'ok') return;
  }
}

function* releaseSteps(store: Store, window: DigestWindow, at: () => string): Generator<void, void> {
  const digestId = digestIdFor(PERSON, CATEGORY, window.key);
  for (;;) {
    const state = stateOf(store, digestId);
    if (state.status === 'none' || Date.parse(at()) < Date.parse(window.closesAt)) return;
    const read = store.streams.get(digestId)?.length ?? 0;
    const events = digestDecider.decide({ type: 'ReleaseDigest', data: { digestId, actorId: 'r', at: at(), withdrawn: [], sendAt: at() } }, state);
    yield;
    if (append(store, digestId, read, events) === 'ok') return;
  }
}

describe('digests under random interleavings (seeded)', () => {
  it.each(Array.from({ length: 200 }, (_, i) => i + 1))('seed %i: every added notification is released exactly once, no window twice', (seed) => {
    const random = mulberry32(seed);
    const store: Store = { streams: new Map() };
    const start = Date.parse(T0);
    let clock = start;
    const now = () => new Date(clock).toISOString();
    const notifications = Array.from({ length: 3 + Math.floor(random() * 10) }, (_, i) => `n-${i}`);
    // Each notification's delivery was planned in the window of some moment in the first three hours.
    const plannedAt = new Map(notifications.map((id) => [id, new Date(start + Math.floor(random() * 3 * 3_600_000)).toISOString()]));
    const workers: Generator<void, void>[] = [];
    const spawnAdd = (id: string) => workers.push(addSteps(store, id, digestWindow('hourly', STOCKHOLM, plannedAt.get(id) ?? T0), now));
    notifications.forEach((id) => {
      spawnAdd(id);
      if (random() < 0.4) spawnAdd(id); // a redelivery or a concurrent second worker
    });
    for (let step = 0; workers.length > 0 || step < 400; step++) {
      clock += Math.floor(random() * 6 * 60_000);
      if (random() < 0.15) {
        // The scheduler releases every window that has closed (possibly twice, racing itself and the adds).
        for (const digestId of store.streams.keys()) {
          const state = stateOf(store, digestId);
          if (state.status !== 'none') workers.push(releaseSteps(store, state.window, now));
        }
      }
      if (workers.length === 0) continue;
      const index = Math.floor(random() * workers.length);
      if (workers[index]?.next().done) workers.splice(index, 1);
      if (step > 2_000) break;
    }
    // Triggers still under way finish; then time moves past every window and the scheduler releases what is left.
    for (const worker of workers) for (const _ of worker) void _;
    clock += 10 * 3_600_000;
    for (let round = 0; round < 5; round++) {
      for (const digestId of [...store.streams.keys()]) {
        const state = stateOf(store, digestId);
        if (state.status !== 'none') for (const _ of releaseSteps(store, state.window, now)) void _;
      }
    }

    const releases = [...store.streams.values()].flatMap((events) => events.filter((e) => e.type === 'DigestReleased'));
    const perStream = [...store.streams.values()].map((events) => events.filter((e) => e.type === 'DigestReleased').length);
    expect(perStream.every((n) => n === 1)).toBe(true);
    const releasedIds = releases.flatMap((e) => (e.type === 'DigestReleased' ? e.data.items : []));
    expect([...releasedIds].sort()).toEqual([...notifications].sort());
  });
});
