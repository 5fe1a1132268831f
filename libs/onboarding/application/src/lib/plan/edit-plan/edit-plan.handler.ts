import { readAggregate, WrongExpectedRevisionError, type EventStore } from '@leadership/event-store';
import type { CommandContext, Decider } from '@leadership/kernel';
import {
  planDecider,
  PlanNotFoundError,
  planStreamName,
  type DecisionStamp,
  type PlanCommand,
  type PlanEvent,
  type PlanState,
  type StepChanges,
  type StepInput,
} from '@leadership/onboarding-domain';
import { MissingAuthorityError, stampIfAllowed, type OnboardingAuthority } from '../../authority/onboarding-authority.port';
import type { AutomaticBooking } from '../../booking/request-presenter/request-presenter.handler';
import { toPlanCommandResult, type PlanCommandResult } from '../plan-command.result';
import type { PlanSessions } from '../plan-sessions';
import { run } from '../../shared/onboarding-commands';

/**
 * The plan decider over a list of edits: each is decided on the state the previous ones left,
 * so the list is one decision, appended at one expected revision (all edits or none).
 */
const editsDecider: Decider<readonly PlanCommand[], PlanEvent, PlanState> = {
  initialState: planDecider.initialState,
  evolve: planDecider.evolve,
  decide(commands, state) {
    const events: PlanEvent[] = [];
    let current = state;
    for (const command of commands) {
      const decided = planDecider.decide(command, current);
      for (const event of decided) current = planDecider.evolve(current, event);
      events.push(...decided);
    }
    return events;
  },
};

/** One edit of `PATCH /newcomers/{id}/plan`, as the contract states it. */
export type PlanEdit =
  | { readonly op: 'change'; readonly key: string; readonly changes: StepChanges }
  | { readonly op: 'add'; readonly step: StepInput }
  | { readonly op: 'remove'; readonly key: string; readonly reason: string }
  | { readonly op: 'complete-task'; readonly key: string }
  | { readonly op: 'complete-plan' };

export interface EditPlanInput {
  readonly newcomerId: string;
  readonly edits: readonly PlanEdit[];
  /** The plan version the caller saw (If-Match). */
  readonly expectedVersion: number;
}

export interface EditPlanResult extends PlanCommandResult {
  readonly bookings: readonly AutomaticBooking[];
}

/**
 * `PATCH /newcomers/{id}/plan` (If-Match): edits of one newcomer's plan, the programme untouched.
 * The edits are decided in order on the state each leaves and appended together at the version
 * the caller saw: all of them or none, and a plan changed meanwhile is a 409. The onboarding
 * manager needs `onboarding.plan` in the plan's unit; an owner ticking off their own task needs
 * nothing more than being its owner (the decider checks that). Sessions follow afterwards.
 */
export class EditPlanHandler {
  constructor(
    private readonly store: EventStore,
    private readonly authority: OnboardingAuthority,
    private readonly sessions: PlanSessions,
    private readonly now: () => Date,
  ) {}

  async execute(input: EditPlanInput, context: CommandContext): Promise<EditPlanResult> {
    const stream = planStreamName(input.newcomerId);
    const { state, revision } = await readAggregate(this.store, planDecider, stream);
    if (state.status === 'none') throw new PlanNotFoundError(input.newcomerId);
    if (revision !== input.expectedVersion) throw new WrongExpectedRevisionError(stream, input.expectedVersion, revision);
    const stamp = this.stampFor(context.actorId, state.unitId, input.edits);
    const at = this.now().toISOString();
    const commands = input.edits.map((edit) => this.commandOf(input.newcomerId, edit, at, context.actorId, stamp));
    const handled = await run(this.store, stream, editsDecider, commands, context, revision);
    const result = toPlanCommandResult(input.newcomerId, handled);
    const events = handled.newEvents;
    const touched = [...new Set(events.flatMap((event) => ('step' in event.data ? [event.data.step.key] : 'key' in event.data ? [event.data.key] : [])))];
    if (stamp === null || touched.length === 0 || result.plan.status === 'draft') return { ...result, bookings: [] };
    const bookings = await this.sessions.sync(result.plan, touched, stamp, stampIfAllowed(this.authority, context.actorId, 'onboarding.book-presenter', state.unitId), context);
    return { ...result, bookings };
  }

  /** The manager's stamp; null for an owner who only ticks off tasks (the decider then checks ownership). */
  private stampFor(actorId: string, unitId: string, edits: readonly PlanEdit[]): DecisionStamp | null {
    try {
      return this.authority.authorise(actorId, 'onboarding.plan', unitId);
    } catch (error) {
      if (error instanceof MissingAuthorityError && edits.every((edit) => edit.op === 'complete-task')) return null;
      throw error;
    }
  }


  private commandOf(newcomerId: string, edit: PlanEdit, at: string, actorId: string, stamp: DecisionStamp | null): PlanCommand {
    if (edit.op === 'complete-task') return { type: 'CompleteTask', data: { newcomerId, at, key: edit.key, actorId, ...(stamp ? { stamp } : {}) } };
    // stampFor refused every other edit without a stamp.
    const decided = { newcomerId, at, stamp: stamp as DecisionStamp };
    switch (edit.op) {
      case 'change':
        return { type: 'ChangeStep', data: { ...decided, key: edit.key, changes: edit.changes } };
      case 'add':
        return { type: 'AddStep', data: { ...decided, step: edit.step } };
      case 'remove':
        return { type: 'RemoveStep', data: { ...decided, key: edit.key, reason: edit.reason } };
      case 'complete-plan':
        return { type: 'CompletePlan', data: decided };
    }
  }
}
