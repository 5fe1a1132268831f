import type { EventStore } from '@leadership/event-store';
import { AssigneeNotAgentError, caseDecider, caseStreamName, OverCapacityNotAcknowledgedError, FrameworkRuleViolatedError } from '@leadership/case-distribution-domain';
import { readAggregate } from '@leadership/event-store';
import { openTestEventStore } from '@leadership/testing';
import { ANA, BEN, GrantingAuthority, givenAvailable, givenQueue } from '../../spec/case-world.fixture';
import { MissingAuthorityError } from '../authority/case-authority.port';
import { AssignCaseHandler } from '../case/assign-case/assign-case.handler';
import { PrioritiseCaseHandler } from '../case/prioritise-case/prioritise-case.handler';
import { RegisterCaseHandler } from '../case/register-case/register-case.handler';
import { ResolveCaseHandler } from '../case/resolve-case/resolve-case.handler';
import { RespondToOfferHandler } from '../case/respond-to-offer/respond-to-offer.handler';
import { Dispatcher } from './dispatcher';
import { RoutingBoard } from './routing-board';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const CARL = 'person-carl';
const DORA = 'person-dora';

describe('Dispatcher with the case use cases (real SQLite event store)', () => {
  let store: EventStore;
  let clock: number;
  const now = () => new Date(clock);
  let board: RoutingBoard;
  let dispatcher: Dispatcher;
  let authority: GrantingAuthority;
  let register: RegisterCaseHandler;
  let respond: RespondToOfferHandler;
  let resolve: ResolveCaseHandler;
  let assign: AssignCaseHandler;
  let prioritise: PrioritiseCaseHandler;

  const caseState = async (caseId: string) => (await readAggregate(store, caseDecider, caseStreamName(caseId))).state;
  const newCase = (caseId: string, channel = 'email', priority: 'P1' | 'P2' | 'P3' | 'P4' = 'P3') =>
    register.execute({ caseId, queueId: 'general', title: `Case ${caseId}`, priority, channel }, { actorId: 'client-app' });

  beforeEach(async () => {
    clock = START;
    store = openTestEventStore();
    board = new RoutingBoard(store);
    dispatcher = new Dispatcher(store, board, now);
    authority = new GrantingAuthority();
    register = new RegisterCaseHandler(store, now);
    respond = new RespondToOfferHandler(store, now);
    resolve = new ResolveCaseHandler(store, now);
    assign = new AssignCaseHandler(store, board, authority, now);
    prioritise = new PrioritiseCaseHandler(store, authority, now);
    await givenQueue(store, new Date(START).toISOString(), [
      { personId: CARL, capacity: 2 },
      { personId: DORA, capacity: 2 },
    ]);
  });
  afterEach(() => store.close());

  it('offers a waiting case to an available agent, once, with the routing-policy stamp and an explanation', async () => {
    await givenAvailable(store, now().toISOString(), CARL);
    await newCase('c-1');
    expect(await dispatcher.pass()).toMatchObject({ offered: 1 });
    expect(await dispatcher.pass()).toMatchObject({ offered: 0 });
    const state = await caseState('c-1');
    expect(state).toMatchObject({ status: 'offered', offer: { agentId: CARL }, decisions: [{ kind: 'offered', basis: 'routing-policy', mandateId: null, actorId: 'system:case-router' }] });
    if (state.status === 'none') throw new Error('no case');
    expect(state.routing[0]?.explanation.candidates.map((c) => c.agentId).sort()).toEqual([CARL, DORA]);
  });

  it('never fills an agent over capacity, and picks the backlog up as soon as capacity frees', async () => {
    await givenAvailable(store, now().toISOString(), CARL);
    await newCase('c-1');
    await newCase('c-2');
    await dispatcher.pass();
    expect((await caseState('c-2')).status).toBe('queued');
    await respond.accept('c-1', { actorId: CARL });
    await resolve.execute({ caseId: 'c-1' }, { actorId: CARL });
    await dispatcher.pass();
    expect(await caseState('c-2')).toMatchObject({ status: 'offered', offer: { agentId: CARL } });
  });

  it('gives a declined case to someone else with its original age, and never back to the agent who declined', async () => {
    await givenAvailable(store, now().toISOString(), CARL, DORA);
    await newCase('c-1');
    await dispatcher.pass();
    const first = await caseState('c-1');
    if (first.status === 'none' || !first.offer) throw new Error('not offered');
    const declined = first.offer.agentId;
    clock += 5_000;
    await respond.decline({ caseId: 'c-1', reason: 'not my area' }, { actorId: declined });
    await dispatcher.pass();
    const second = await caseState('c-1');
    expect(second).toMatchObject({ status: 'offered', receivedAt: new Date(START).toISOString(), declinedBy: [declined] });
    if (second.status === 'none') throw new Error('no case');
    expect(second.offer?.agentId).not.toBe(declined);
  });

  it('expires unanswered offers, and sets an agent away after repeated timeouts', async () => {
    await givenAvailable(store, now().toISOString(), CARL);
    await newCase('c-1', 'chat');
    await newCase('c-2', 'chat');
    await dispatcher.pass();
    expect(board.loadOf(CARL)).toEqual({ units: 0, cases: 0 });
    await board.catchUp();
    expect(board.loadOf(CARL)).toEqual({ units: 2, cases: 2 });
    clock += 61_000;
    expect(await dispatcher.pass()).toMatchObject({ expired: 2, offered: 0 });
    await board.catchUp();
    expect(board.agent(CARL)).toMatchObject({ presence: 'away', presenceReason: 'offer-timeouts' });
    expect(await Promise.all([caseState('c-1'), caseState('c-2')])).toMatchObject([{ status: 'queued' }, { status: 'queued' }]);
  });

  it('sets away an agent who lets the same case time out twice (it was offered again in between)', async () => {
    await givenAvailable(store, now().toISOString(), CARL);
    await newCase('c-1', 'chat');
    await dispatcher.pass();
    clock += 61_000;
    expect(await dispatcher.pass()).toMatchObject({ expired: 1, offered: 1 });
    clock += 61_000;
    await dispatcher.pass();
    await board.catchUp();
    expect(board.agent(CARL)).toMatchObject({ presence: 'away', presenceReason: 'offer-timeouts' });
    expect(await caseState('c-1')).toMatchObject({ status: 'queued' });
  });

  it('after a restart (a new board and dispatcher over the same store) offers nothing twice and loses nothing', async () => {
    await givenAvailable(store, now().toISOString(), CARL, DORA);
    for (const id of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5']) await newCase(id, 'chat');
    await dispatcher.pass();
    const restarted = new Dispatcher(store, new RoutingBoard(store), now);
    expect(await restarted.pass()).toMatchObject({ offered: 0 });
    const states = await Promise.all(['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].map(caseState));
    expect(states.map((s) => s.status).sort()).toEqual(['offered', 'offered', 'offered', 'offered', 'queued']);
  });

  it('loses the race to an answer given between its snapshot and its append, and decides again', async () => {
    await givenAvailable(store, now().toISOString(), CARL);
    await newCase('c-1', 'chat');
    await dispatcher.pass();
    clock += 61_000;
    await board.catchUp();
    // Carl accepts "just in time" by the store's clock of the command (before expiry is recorded).
    clock -= 2_000;
    await respond.accept('c-1', { actorId: CARL });
    clock += 2_000;
    const outcome = await dispatcher.pass();
    expect(outcome.expired).toBe(0);
    expect(await caseState('c-1')).toMatchObject({ status: 'assigned', assigneeId: CARL });
  });

  it('sends a case to the formal manager, not into a queue that does not exist, when the overflow target is unknown', async () => {
    // A queue configured before the target was checked (or with a target never defined): no agent is available here.
    await givenQueue(store, now().toISOString(), [], { overflowQueueId: 'nowhere' }, 'lonely');
    await register.execute({ caseId: 'c-1', queueId: 'lonely', title: 'Case c-1', priority: 'P3', channel: 'email' }, { actorId: 'client-app' });
    expect(await dispatcher.pass()).toMatchObject({ overflowed: 1 });
    expect(await caseState('c-1')).toMatchObject({ status: 'queued', queueId: 'lonely', escalatedToFormalManager: true });
  });

  describe('manual decisions carry the stamp of the authority they relied on', () => {
    beforeEach(() => {
      authority.mandates.set(BEN, { mandateId: 'm-1', version: 3, authorities: ['cases.assign', 'cases.prioritise'], rules: [] });
    });

    it('records Ben’s mandate id and version on an assignment and a reprioritisation', async () => {
      await newCase('c-1', 'chat');
      await assign.assign({ caseId: 'c-1', assigneeId: DORA, reason: 'knows the customer' }, { actorId: BEN });
      await prioritise.execute({ caseId: 'c-1', priority: 'P1', reason: 'customer escalated' }, { actorId: BEN });
      expect(await caseState('c-1')).toMatchObject({
        status: 'assigned',
        assigneeId: DORA,
        priority: 'P1',
        decisions: [
          { kind: 'assigned', actorId: BEN, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, reason: 'knows the customer' },
          { kind: 'prioritised', actorId: BEN, basis: 'mandate', mandateId: 'm-1', mandateVersion: 3, reason: 'customer escalated' },
        ],
      });
    });

    it('refuses a caller without the authority and records nothing', async () => {
      await newCase('c-1', 'chat');
      await expect(assign.assign({ caseId: 'c-1', assigneeId: DORA, reason: 'x' }, { actorId: CARL })).rejects.toThrow(MissingAuthorityError);
      await expect(assign.reassign({ caseId: 'c-1', assigneeId: DORA, reason: 'x' }, { actorId: BEN })).rejects.toThrow(MissingAuthorityError);
      expect(await caseState('c-1')).toMatchObject({ status: 'queued', decisions: [] });
    });

    it('assigns over capacity only when told to, with a reason', async () => {
      await newCase('c-1');
      await newCase('c-2');
      await assign.assign({ caseId: 'c-1', assigneeId: DORA, reason: 'first' }, { actorId: ANA });
      await expect(assign.assign({ caseId: 'c-2', assigneeId: DORA, reason: 'second' }, { actorId: ANA })).rejects.toThrow(OverCapacityNotAcknowledgedError);
      await assign.assign({ caseId: 'c-2', assigneeId: DORA, reason: 'only Dora speaks Finnish', overCapacity: true }, { actorId: ANA });
      expect(board.loadOf(DORA)).toEqual({ units: 2, cases: 1 });
      await board.catchUp();
      expect(board.loadOf(DORA)).toEqual({ units: 4, cases: 2 });
    });

    it('assigns only to an agent of the case\'s queue: an unknown person or the manager is refused even over capacity, and nothing is written', async () => {
      await newCase('c-1');
      await expect(assign.assign({ caseId: 'c-1', assigneeId: 'mallory', reason: 'x', overCapacity: true }, { actorId: ANA })).rejects.toThrow(AssigneeNotAgentError);
      await expect(assign.assign({ caseId: 'c-1', assigneeId: BEN, reason: 'I take it', overCapacity: true }, { actorId: BEN })).rejects.toThrow(AssigneeNotAgentError);
      expect(await caseState('c-1')).toMatchObject({ status: 'queued', assigneeId: null, decisions: [] });
    });

    it('refuses what an enforce rule forbids (naming the rule) and records a warn rule with the decision', async () => {
      authority.mandates.set(BEN, {
        mandateId: 'm-1',
        version: 4,
        authorities: ['cases.assign', 'cases.prioritise'],
        rules: [
          { kind: 'cases.priority-ceiling', params: { highest: 'P2' }, mode: 'enforce', ruleId: 'r1' },
          { kind: 'cases.max-load-percent', params: { percent: 40 }, mode: 'warn', ruleId: 'r2' },
        ],
      });
      await newCase('c-1', 'chat');
      await expect(prioritise.execute({ caseId: 'c-1', priority: 'P1', reason: 'urgent' }, { actorId: BEN })).rejects.toThrow(FrameworkRuleViolatedError);
      await assign.assign({ caseId: 'c-1', assigneeId: DORA, reason: 'free' }, { actorId: BEN });
      expect(await caseState('c-1')).toMatchObject({ priority: 'P3', assigneeId: DORA, frameworkWarnings: [{ decision: 'assigned', actorId: BEN, violations: [{ kind: 'cases.max-load-percent', mode: 'warn', ruleId: 'r2' }] }] });
    });
  });
});
