import { assertNever, type Decider } from '@leadership/kernel';
import { isLocalDate, isTimeZone, zonedInstants } from '../shared/local-time';
import { blank, sameData, validStamp, type DecisionStamp } from '../shared/onboarding-vocabulary';
import { toStepDefinition, validateStep, validateSteps, type StepDefinition } from '../step/step-definition';
import { StepKeyDuplicateError } from '../step/step.errors';
import type {
  AddStep,
  ChangeStep,
  CompletePlan,
  CompleteTask,
  GenerateDraftPlan,
  GeneratePlan,
  HandOverPlan,
  PlanCommand,
  RemoveStep,
  StepChanges,
} from './plan.commands';
import {
  PlanAlreadyGeneratedError,
  PlanCompletedError,
  PlanNotFoundError,
  PlanNotGeneratedError,
  PlanOrganiserInvalidError,
  PlanProgrammesRequiredError,
  PlanStampInvalidError,
  PlanStartInvalidError,
  PlanUnitMismatchError,
  StepAlreadyDoneError,
  StepHasDependentsError,
  StepNotATaskError,
  StepNotFoundError,
  StepRemovalReasonRequiredError,
  TaskConditionNotMetError,
  TaskNotOwnerError,
} from './plan.errors';
import type { PlanEvent } from './plan.events';
import { definitionOf, scheduleStep, type PlanStep, type StepOrigin } from './plan-step';

/** A plan announced by the directory, not yet generated from programmes. */
export interface DraftPlan {
  readonly status: 'draft';
  readonly planId: string;
  readonly newcomerId: string;
  readonly unitId: string;
  readonly createdAt: string;
}

/** A generated plan: active until completed; completed plans keep every step. */
export interface GeneratedPlan {
  readonly status: 'active' | 'completed';
  readonly planId: string;
  readonly newcomerId: string;
  readonly unitId: string;
  readonly createdAt: string;
  readonly startDate: string;
  readonly timeZone: string;
  readonly programmes: readonly StepOrigin[];
  readonly organiserId: string;
  /** Every step ever in the plan, in plan order; removed ones stay with status `removed`. */
  readonly steps: readonly PlanStep[];
  readonly completedAt: string | null;
}

export type ExistingPlan = DraftPlan | GeneratedPlan;

/** State of a plan stream: `none` until drafted or generated. */
export type PlanState = { readonly status: 'none' } | ExistingPlan;

export type PlanStatus = ExistingPlan['status'];

type Events = readonly PlanEvent[];

/** The steps that are part of the plan now (not removed). */
export const currentSteps = (plan: GeneratedPlan): readonly PlanStep[] => plan.steps.filter((step) => step.status !== 'removed');

// ---------------------------------------------------------------------------------------------
// Guards shared by the commands.

function existing(state: PlanState, planId: string): ExistingPlan {
  if (state.status === 'none') throw new PlanNotFoundError(planId);
  return state;
}

/** A generated plan that is still active (the plan may be edited and worked through). */
function activePlan(state: PlanState, planId: string, action: string): GeneratedPlan {
  const plan = existing(state, planId);
  if (plan.status === 'draft') throw new PlanNotGeneratedError(planId, action);
  if (plan.status === 'completed') throw new PlanCompletedError(planId, action);
  return plan;
}

function requireStamp(planId: string, stamp: DecisionStamp): void {
  if (!validStamp(stamp)) throw new PlanStampInvalidError(planId);
}

function currentStep(plan: GeneratedPlan, key: string): PlanStep {
  const step = plan.steps.find((candidate) => candidate.key === key);
  if (!step || step.status === 'removed') throw new StepNotFoundError(plan.planId, key);
  return step;
}

/** The definitions of the current steps with one replaced or added, validated together (keys, conditions). */
function validateWith(plan: GeneratedPlan, definition: StepDefinition): void {
  const others = currentSteps(plan).filter((step) => step.key !== definition.key).map(definitionOf);
  validateSteps(plan.planId, [...others, definition]);
}

// ---------------------------------------------------------------------------------------------
// One function per command.

function generateDraft(command: GenerateDraftPlan, state: PlanState): Events {
  const { newcomerId, unitId, actorId, at } = command.data;
  // The directory redelivers and may announce a newcomer someone already planned for: nothing to do.
  if (state.status !== 'none') return [];
  return [{ type: 'PlanDrafted', data: { planId: newcomerId, actorId, at, newcomerId, unitId } }];
}

function generate(command: GeneratePlan, state: PlanState): Events {
  const { newcomerId, unitId, startDate, timeZone, programmes, stamp, at } = command.data;
  const planId = newcomerId;
  requireStamp(planId, stamp);
  if (!isLocalDate(startDate)) throw new PlanStartInvalidError(planId, 'startDate');
  if (!isTimeZone(timeZone)) throw new PlanStartInvalidError(planId, 'timeZone');
  if (programmes.length === 0) throw new PlanProgrammesRequiredError(planId);
  const origins = programmes.map(({ programmeId, version }) => ({ programmeId, version }));
  if (state.status === 'active' || state.status === 'completed') {
    // The same generation again is a retry; anything else would silently drop the edits made since.
    if (sameData([state.startDate, state.timeZone, state.programmes], [startDate, timeZone, origins])) return [];
    throw new PlanAlreadyGeneratedError(planId);
  }
  if (state.status === 'draft' && state.unitId !== unitId) throw new PlanUnitMismatchError(planId, state.unitId, unitId);
  // Keys are unique across the programmes: two programmes with the same key are refused by validateSteps.
  const definitions = programmes.flatMap((programme) => programme.steps);
  validateSteps(planId, definitions);
  const plan = { planId, startDate, timeZone };
  const instantOf = zonedInstants(timeZone);
  const steps = programmes.flatMap((programme) => programme.steps.map((step) => scheduleStep(step, plan, { programmeId: programme.programmeId, version: programme.version }, instantOf)));
  return [
    {
      type: 'PlanGenerated',
      data: { planId, actorId: stamp.actorId, at, stamp, newcomerId, unitId, startDate, timeZone, programmes: origins, organiserId: stamp.actorId, steps },
    },
  ];
}

/** The definition after the changes: a field given replaces, null clears, absent keeps. */
function changed(step: PlanStep, changes: StepChanges): StepDefinition {
  const pick = <K extends keyof StepChanges>(key: K): StepDefinition[K] => {
    const value = changes[key];
    return (value === undefined ? step[key] : value) as StepDefinition[K];
  };
  return toStepDefinition({
    key: step.key,
    kind: step.kind,
    title: pick('title'),
    dayOffset: pick('dayOffset'),
    time: pick('time') ?? undefined,
    durationMinutes: pick('durationMinutes') ?? undefined,
    capacity: pick('capacity') ?? undefined,
    audience: pick('audience') ?? undefined,
    location: pick('location') ?? undefined,
    link: pick('link') ?? undefined,
    presenter: pick('presenter') ?? undefined,
    owner: pick('owner') ?? undefined,
    after: pick('after') ?? undefined,
  });
}

function changeStep(command: ChangeStep, state: PlanState): Events {
  const { newcomerId: planId, key, changes, stamp, at } = command.data;
  requireStamp(planId, stamp);
  const plan = activePlan(state, planId, 'change a step');
  const step = currentStep(plan, key);
  if (step.status === 'done') throw new StepAlreadyDoneError(planId, key, 'be changed');
  const definition = changed(step, changes);
  validateWith(plan, definition);
  if (sameData(definition, definitionOf(step))) return [];
  const scheduled = scheduleStep(definition, plan, step.origin);
  return [{ type: 'PlanStepChanged', data: { planId, actorId: stamp.actorId, at, stamp, step: scheduled } }];
}

function addStep(command: AddStep, state: PlanState): Events {
  const { newcomerId: planId, stamp, at } = command.data;
  requireStamp(planId, stamp);
  const plan = activePlan(state, planId, 'add a step');
  const definition = toStepDefinition(command.data.step);
  validateStep(planId, definition);
  const known = plan.steps.find((step) => step.key === definition.key);
  if (known) {
    // A retried addition is a no-op; a key seen before (even removed) stays that step's, in the history.
    if (known.origin === null && known.status === 'open' && sameData(definitionOf(known), definition)) return [];
    throw new StepKeyDuplicateError(planId, definition.key);
  }
  validateWith(plan, definition);
  return [{ type: 'PlanStepAdded', data: { planId, actorId: stamp.actorId, at, stamp, step: scheduleStep(definition, plan, null) } }];
}

function removeStep(command: RemoveStep, state: PlanState): Events {
  const { newcomerId: planId, key, reason, stamp, at } = command.data;
  requireStamp(planId, stamp);
  const plan = activePlan(state, planId, 'remove a step');
  const known = plan.steps.find((step) => step.key === key);
  // Removing a removed step again is a retry.
  if (known?.status === 'removed') return [];
  const step = currentStep(plan, key);
  if (step.status === 'done') throw new StepAlreadyDoneError(planId, key, 'be removed');
  if (blank(reason)) throw new StepRemovalReasonRequiredError(planId, key);
  const dependents = currentSteps(plan).filter((other) => other.after === key).map((other) => other.key);
  if (dependents.length > 0) throw new StepHasDependentsError(planId, key, dependents);
  return [{ type: 'PlanStepRemoved', data: { planId, actorId: stamp.actorId, at, stamp, key, reason: reason.trim() } }];
}

/** The owner: the newcomer, the named person, or (as the application says) a holder of the owner role. */
function isOwner(plan: GeneratedPlan, step: PlanStep, command: CompleteTask): boolean {
  const { actorId, actorHoldsOwnerRole } = command.data;
  const owner = step.owner;
  if (owner === null) return false;
  if (typeof owner !== 'string') return owner.personId === actorId;
  if (owner === 'newcomer') return actorId === plan.newcomerId;
  return actorHoldsOwnerRole === true;
}

function completeTask(command: CompleteTask, state: PlanState): Events {
  const { newcomerId: planId, key, actorId, at, stamp } = command.data;
  const plan = activePlan(state, planId, 'complete a task');
  const step = currentStep(plan, key);
  if (step.kind !== 'task') throw new StepNotATaskError(planId, key);
  if (step.status === 'done') return [];
  const onBehalf = stamp !== undefined && validStamp(stamp) && stamp.actorId === actorId;
  if (!isOwner(plan, step, command) && !onBehalf) throw new TaskNotOwnerError(planId, key, actorId);
  if (step.after !== null && plan.steps.find((other) => other.key === step.after)?.status !== 'done') {
    throw new TaskConditionNotMetError(planId, key, step.after);
  }
  // The stamp is recorded only when it was the reason the actor could do it.
  const recorded = onBehalf && !isOwner(plan, step, command) ? (stamp ?? null) : null;
  return [{ type: 'TaskCompleted', data: { planId, actorId, at, key, stamp: recorded } }];
}

function completePlan(command: CompletePlan, state: PlanState): Events {
  const { newcomerId: planId, stamp, at } = command.data;
  requireStamp(planId, stamp);
  const plan = existing(state, planId);
  if (plan.status === 'completed') return [];
  if (plan.status === 'draft') throw new PlanNotGeneratedError(planId, 'complete it');
  const openSteps = currentSteps(plan).filter((step) => step.kind === 'task' && step.status === 'open').map((step) => step.key);
  return [{ type: 'PlanCompleted', data: { planId, actorId: stamp.actorId, at, stamp, openSteps } }];
}

function handOver(command: HandOverPlan, state: PlanState): Events {
  const { newcomerId: planId, actorId, at, toOrganiserId, reason, mandateId } = command.data;
  if (blank(toOrganiserId)) throw new PlanOrganiserInvalidError(planId);
  const plan = existing(state, planId);
  // A draft has no organiser yet and a completed plan's organiser is history: nothing to hand over.
  if (plan.status !== 'active' || plan.organiserId === toOrganiserId) return [];
  return [{ type: 'PlanHandedOver', data: { planId, actorId, at, fromOrganiserId: plan.organiserId, toOrganiserId, reason, mandateId } }];
}

// ---------------------------------------------------------------------------------------------

function withStep(plan: GeneratedPlan, key: string, update: (step: PlanStep) => PlanStep): GeneratedPlan {
  return { ...plan, steps: plan.steps.map((step) => (step.key === key ? update(step) : step)) };
}

/** Applies an edit to a generated plan; decide never emits one for a draft, so a stream that does keeps its state. */
const onGenerated = (state: PlanState, update: (plan: GeneratedPlan) => GeneratedPlan): PlanState =>
  state.status === 'active' || state.status === 'completed' ? update(state) : state;

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanDrafted': {
      const { planId, newcomerId, unitId, at } = event.data;
      return { status: 'draft', planId, newcomerId, unitId, createdAt: at };
    }
    case 'PlanGenerated': {
      const { planId, newcomerId, unitId, startDate, timeZone, programmes, organiserId, steps, at } = event.data;
      const createdAt = state.status === 'none' ? at : state.createdAt;
      return { status: 'active', planId, newcomerId, unitId, createdAt, startDate, timeZone, programmes, organiserId, steps, completedAt: null };
    }
    case 'PlanStepChanged':
      return onGenerated(state, (plan) => withStep(plan, event.data.step.key, () => event.data.step));
    case 'PlanStepAdded':
      return onGenerated(state, (plan) => ({ ...plan, steps: [...plan.steps, event.data.step] }));
    case 'PlanStepRemoved': {
      const { key, actorId, at, reason } = event.data;
      return onGenerated(state, (plan) => withStep(plan, key, (step) => ({ ...step, status: 'removed', removedAt: at, removedBy: actorId, removedReason: reason })));
    }
    case 'TaskCompleted': {
      const { key, actorId, at } = event.data;
      return onGenerated(state, (plan) => withStep(plan, key, (step) => ({ ...step, status: 'done', doneAt: at, doneBy: actorId })));
    }
    case 'PlanCompleted':
      return onGenerated(state, (plan) => ({ ...plan, status: 'completed', completedAt: event.data.at }));
    case 'PlanHandedOver':
      return onGenerated(state, (plan) => ({ ...plan, organiserId: event.data.toOrganiserId }));
    default:
      return assertNever(event);
  }
}

/** The plan aggregate (stream `plan-<newcomerId>`, see `planStreamName`). */
export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolvePlan,
  decide(command, state) {
    switch (command.type) {
      case 'GenerateDraftPlan':
        return generateDraft(command, state);
      case 'GeneratePlan':
        return generate(command, state);
      case 'ChangeStep':
        return changeStep(command, state);
      case 'AddStep':
        return addStep(command, state);
      case 'RemoveStep':
        return removeStep(command, state);
      case 'CompleteTask':
        return completeTask(command, state);
      case 'CompletePlan':
        return completePlan(command, state);
      case 'HandOverPlan':
        return handOver(command, state);
      default:
        return assertNever(command);
    }
  },
};
