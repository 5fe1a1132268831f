import { activeHistory, DELEGATE, event, FROM, MANAGER, proposed, UNIT, UNTIL } from '../../spec/mandate.fixtures';
import { fold } from '@leadership/kernel';
import { fromMillis } from '../shared/instant';
import type { AuthorityUnit } from '../authority/authority';
import type { MandateEvent } from '../mandate/mandate.events';
import { mandateDecider } from '../mandate/mandate.decider';
import type { MandateSnapshot } from '../mandate/mandate.queries';
import type { ExistingMandate } from '../mandate/mandate.state';
import { dueActions, nextWakeUp, SCHEDULER_ACTOR_ID, type ScheduledAction } from './scheduler';

const units: AuthorityUnit[] = [
  { id: 'root', parentId: null, managerIds: ['ceo'] },
  { id: UNIT, parentId: 'root', managerIds: [MANAGER] },
];
const snapshot = (history: readonly MandateEvent[]): MandateSnapshot => ({
  ...(fold(mandateDecider, history) as ExistingMandate),
  version: history.length - 1,
});
const acceptedHistory = [proposed(), event.accepted()];
const due = (history: readonly MandateEvent[], now: string, unitList = units) => dueActions({ mandates: [snapshot(history)], units: unitList, now });
const keys = (actions: readonly ScheduledAction[]) => actions.map((action) => action.idempotencyKey);

describe('dueActions', () => {
  it('activates an accepted mandate from the start of its period', () => {
    expect(due(acceptedHistory, '2025-01-31T23:59:59Z')).toEqual([]);
    expect(due(acceptedHistory, FROM)).toEqual([
      {
        kind: 'activate',
        mandateId: 'm-1',
        dueAt: FROM,
        idempotencyKey: `activate:m-1:${FROM}`,
        command: { type: 'ActivateMandate', data: { mandateId: 'm-1', actorId: SCHEDULER_ACTOR_ID, at: FROM } },
      },
    ]);
  });

  it('does not activate an unanswered proposal', () => {
    expect(keys(due([proposed()], '2025-03-01T00:00:00Z'))).toEqual([]);
  });

  it('expires any live mandate at the end of its period and nothing else for it', () => {
    for (const history of [[proposed()], acceptedHistory, activeHistory, [...activeHistory, event.suspended('2025-03-01T00:00:00Z')]]) {
      expect(keys(due(history, UNTIL))).toEqual([`expire:m-1:${UNTIL}`]);
    }
    expect(due(activeHistory, '2025-09-01T00:00:00Z')[0]).toMatchObject({
      kind: 'expire',
      dueAt: UNTIL,
      command: { type: 'ExpireMandate', data: { mandateId: 'm-1', actorId: SCHEDULER_ACTOR_ID, at: '2025-09-01T00:00:00Z' } },
    });
  });

  it('lists nothing for ended or declined mandates', () => {
    expect(due([...activeHistory, event.expired()], '2025-09-01T00:00:00Z')).toEqual([]);
    expect(due([proposed(), event.declined()], '2025-09-01T00:00:00Z')).toEqual([]);
  });

  it('reminds 7 days and 1 day before the end, each in its own window', () => {
    const withCheckIn: MandateEvent[] = [
      ...activeHistory,
      { type: 'MandateCheckInRecorded', data: { mandateId: 'm-1', actorId: DELEGATE, at: '2025-07-20T00:00:00Z', note: '' } },
    ];
    expect(keys(due(withCheckIn, '2025-07-24T23:59:59Z'))).toEqual([]);
    expect(due(withCheckIn, '2025-07-25T00:00:00Z')).toEqual([
      {
        kind: 'expiry-reminder',
        mandateId: 'm-1',
        dueAt: '2025-07-25T00:00:00.000Z',
        idempotencyKey: `expiry-reminder:m-1:${UNTIL}:7d`,
        daysBefore: 7,
        until: UNTIL,
        delegateId: DELEGATE,
        delegatorId: MANAGER,
      },
    ]);
    expect(keys(due(withCheckIn, '2025-07-30T23:59:59Z'))).toEqual([`expiry-reminder:m-1:${UNTIL}:7d`]);
    expect(keys(due(withCheckIn, '2025-07-31T00:00:00Z'))).toEqual([`expiry-reminder:m-1:${UNTIL}:1d`]);
  });

  it('changes the reminder key when an extension moves the end', () => {
    const extended: MandateEvent[] = [
      ...activeHistory,
      { type: 'MandateExtended', data: { mandateId: 'm-1', actorId: MANAGER, at: '2025-07-26T00:00:00Z', previousUntil: UNTIL, until: '2025-08-05T00:00:00Z' } },
    ];
    expect(keys(due(extended, '2025-07-30T00:00:00Z'))).toContain('expiry-reminder:m-1:2025-08-05T00:00:00Z:7d');
  });

  it('reminds of a due review, keyed by the due time, until a check-in moves it', () => {
    expect(keys(due(activeHistory, '2025-03-02T23:59:59Z'))).toEqual([]);
    expect(due(activeHistory, '2025-03-05T00:00:00Z')).toEqual([
      {
        kind: 'review-reminder',
        mandateId: 'm-1',
        dueAt: '2025-03-03T00:00:00.000Z',
        idempotencyKey: 'review-reminder:m-1:2025-03-03T00:00:00.000Z',
        delegateId: DELEGATE,
        delegatorId: MANAGER,
      },
    ]);
    const checkIn: MandateEvent = { type: 'MandateCheckInRecorded', data: { mandateId: 'm-1', actorId: DELEGATE, at: '2025-03-04T00:00:00Z', note: '' } };
    expect(keys(due([...activeHistory, checkIn], '2025-03-05T00:00:00Z'))).toEqual([]);
    expect(keys(due([...activeHistory, checkIn], '2025-04-03T00:00:00Z'))).toEqual(['review-reminder:m-1:2025-04-03T00:00:00.000Z']);
  });

  it('flags mandates whose delegator no longer manages the unit (or an ancestor)', () => {
    const reorganised = units.map((unit) => (unit.id === UNIT ? { ...unit, managerIds: ['new-boss'] } : unit));
    const at = '2025-02-10T00:00:00Z';
    expect(due(activeHistory, at, reorganised)).toEqual([
      {
        kind: 'flag-for-reconfirmation',
        mandateId: 'm-1',
        dueAt: at,
        idempotencyKey: `reconfirm:m-1:${MANAGER}`,
        command: { type: 'FlagMandateForReconfirmation', data: { mandateId: 'm-1', actorId: SCHEDULER_ACTOR_ID, at, reason: 'delegator-no-longer-manages' } },
      },
    ]);
    const promoted = reorganised.map((unit) => (unit.id === 'root' ? { ...unit, managerIds: [MANAGER] } : unit));
    expect(due(activeHistory, at, promoted)).toEqual([]);
    expect(due([...activeHistory, event.flagged()], at, reorganised)).toEqual([]);
  });

  it('flags a re-delegated mandate whose basis mandate ended, but not a suspended one', () => {
    const parent = (extra: MandateEvent[]) => snapshot([...activeHistory, ...extra].map((e) => ({ ...e, data: { ...e.data, mandateId: 'm-parent' } }) as MandateEvent));
    const childProposed = proposed({ mandateId: 'm-child', delegatorId: DELEGATE, delegateId: 'helper' });
    const child = snapshot([{ ...childProposed, data: { ...childProposed.data, basis: { kind: 'mandate', mandateId: 'm-parent' } } }]);
    const at = '2025-01-20T00:00:00Z';
    expect(keys(dueActions({ mandates: [parent([event.revoked('2025-01-15T00:00:00Z')]), child], units, now: at }))).toEqual(['reconfirm:m-child:m-parent']);
    expect(keys(dueActions({ mandates: [child], units, now: at }))).toEqual(['reconfirm:m-child:m-parent']);
    expect(keys(dueActions({ mandates: [parent([event.suspended('2025-01-15T00:00:00Z')]), child], units, now: at }))).toEqual([]);
  });

  it('orders by due time, then key', () => {
    const other = snapshot([proposed({ mandateId: 'm-0' }), event.accepted(undefined, 'm-0')]);
    const actions = dueActions({ mandates: [snapshot(activeHistory), other], units, now: '2025-03-05T00:00:00Z' });
    expect(keys(actions)).toEqual([`activate:m-0:${FROM}`, 'review-reminder:m-1:2025-03-03T00:00:00.000Z']);
  });

  it('is idempotent across a restart: the same state and time give the same list, and applied commands drop out', () => {
    const now = '2025-02-02T00:00:00Z';
    const [activation, ...rest] = due(acceptedHistory, now);
    expect(rest).toEqual([]);
    expect(due(acceptedHistory, now)).toEqual([activation]);
    if (activation?.kind !== 'activate') throw new Error(`expected an activation, got ${JSON.stringify(activation)}`);
    const history = [...acceptedHistory, ...mandateDecider.decide(activation.command, fold(mandateDecider, acceptedHistory))];
    expect(history.at(-1)).toMatchObject({ type: 'MandateActivated' });
    expect(due(history, now)).toEqual([]);
    // The same command again (a scheduler that crashed before recording it ran) changes nothing.
    expect(mandateDecider.decide(activation.command, fold(mandateDecider, history))).toEqual([]);
  });

  it('lets a scheduler ticking at random times activate and expire each mandate exactly once and send each reminder key once', () => {
    let history: MandateEvent[] = [...acceptedHistory];
    const sent = new Set<string>();
    const sentTwice: string[] = [];
    let tick = Date.parse('2025-01-20T00:00:00Z');
    let seed = 42;
    while (tick < Date.parse('2025-09-01T00:00:00Z')) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      tick += (seed % 72) * 3_600_000 + 60_000; // 1 minute to 3 days: long outages included
      const now = fromMillis(tick);
      for (const action of due(history, now)) {
        if ('command' in action) {
          history = [...history, ...mandateDecider.decide(action.command, fold(mandateDecider, history))];
        } else if (sent.has(action.idempotencyKey)) {
          sentTwice.push(action.idempotencyKey); // the outbox drops these
        } else {
          sent.add(action.idempotencyKey);
        }
      }
    }
    expect(history.filter((e) => e.type === 'MandateActivated')).toHaveLength(1);
    expect(history.filter((e) => e.type === 'MandateExpired')).toHaveLength(1);
    expect([...sent].filter((key) => key.startsWith('expiry-reminder'))).toEqual([`expiry-reminder:m-1:${UNTIL}:7d`, `expiry-reminder:m-1:${UNTIL}:1d`]);
    expect([...sent].filter((key) => key.startsWith('review-reminder')).length).toBeGreaterThan(0);
  });
});

describe('nextWakeUp', () => {
  it('returns the next time something becomes due', () => {
    expect(nextWakeUp([snapshot(acceptedHistory)], '2025-01-20T00:00:00Z')).toBe(FROM);
    expect(nextWakeUp([snapshot(activeHistory)], '2025-02-10T00:00:00Z')).toBe('2025-03-03T00:00:00.000Z');
    expect(nextWakeUp([snapshot(activeHistory)], '2025-07-20T00:00:00Z')).toBe('2025-07-25T00:00:00.000Z');
    expect(nextWakeUp([snapshot([...activeHistory, event.expired()])], '2025-07-20T00:00:00Z')).toBeNull();
  });
});
