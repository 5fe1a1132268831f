import { isLocalTime } from '../shared/local-time';
import { blank, validPresenterAddress, validTaskOwner, type PresenterAddress, type TaskOwner } from '../shared/onboarding-vocabulary';
import {
  SessionCapacityInvalidError,
  SessionDurationInvalidError,
  SessionScheduleRequiredError,
  StepConditionCycleError,
  StepConditionUnknownError,
  StepDayOffsetInvalidError,
  StepFieldNotAllowedError,
  StepKeyDuplicateError,
  StepKeyInvalidError,
  StepLinkInvalidError,
  StepPartyInvalidError,
  StepTimeInvalidError,
  StepTitleRequiredError,
} from './step.errors';

/*
 * A step of a programme, or of one newcomer's plan: a session (an appointment with a presenter) or
 * a task (something someone does), at a day offset from the start date. The same definition and
 * the same validation serve both, so a step copied from a template into a plan and a step added to
 * a plan by hand obey one set of rules.
 */

export type StepKind = 'session' | 'task';

/** A step as a command states it (optional fields may be left out). */
export interface StepInput {
  readonly key: string;
  readonly kind: StepKind;
  readonly title: string;
  /** Days from the start date; negative: before the first day (e.g. IT prepares the laptop). */
  readonly dayOffset: number;
  /** Local wall-clock `HH:MM` in the newcomer's zone; a session's start, a task's deadline on its day. */
  readonly time?: string;
  readonly durationMinutes?: number;
  readonly capacity?: number;
  /** Who the session is for, in words ("all newcomers of the quarter"). */
  readonly audience?: string;
  readonly location?: string;
  readonly link?: string;
  readonly presenter?: PresenterAddress;
  readonly owner?: TaskOwner;
  /** Key of the step that must be done before this one is available. */
  readonly after?: string;
}

/** A step as events keep it: trimmed, every field present (null when not set), in a fixed key order. */
export interface StepDefinition {
  readonly key: string;
  readonly kind: StepKind;
  readonly title: string;
  readonly dayOffset: number;
  readonly time: string | null;
  readonly durationMinutes: number | null;
  readonly capacity: number | null;
  readonly audience: string | null;
  readonly location: string | null;
  readonly link: string | null;
  readonly presenter: PresenterAddress | null;
  readonly owner: TaskOwner | null;
  readonly after: string | null;
}

export const MIN_DAY_OFFSET = -90;
export const MAX_DAY_OFFSET = 365;
export const MAX_SESSION_MINUTES = 480;

const STEP_KEY = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const text = (value: string | undefined): string | null => (blank(value) ? null : (value?.trim() ?? null));

/** The stored form of a step (no validation: see `validateStep`). */
export function toStepDefinition(input: StepInput): StepDefinition {
  const presenter = input.presenter ?? null;
  const owner = input.owner ?? null;
  return {
    key: input.key.trim(),
    kind: input.kind,
    title: input.title.trim(),
    dayOffset: input.dayOffset,
    time: text(input.time),
    durationMinutes: input.durationMinutes ?? null,
    capacity: input.capacity ?? null,
    audience: text(input.audience),
    location: text(input.location),
    link: text(input.link),
    presenter: presenter === null ? null : presenterOf(presenter),
    owner: owner === null || typeof owner === 'string' ? owner : { personId: owner.personId.trim() },
    after: text(input.after),
  };
}

/** A presenter address in a fixed key order (so equal addresses are equal text in events). */
function presenterOf(address: PresenterAddress): PresenterAddress {
  if ('personId' in address) return { personId: address.personId.trim() };
  if ('role' in address) return { role: { taskType: address.role.taskType.trim(), unitId: address.role.unitId.trim() } };
  return { skill: address.skill.trim() };
}

function isHttpsUrl(value: string): boolean {
  // No URL global in pure code is needed: a scheme, a host and nothing that breaks a calendar line.
  return /^https:\/\/[^\s/$.?#][^\s]*$/i.test(value);
}

/** The rules of one step on its own (conditions are checked across steps by `validateSteps`). */
export function validateStep(ownerId: string, step: StepDefinition): void {
  const { key, kind } = step;
  if (!STEP_KEY.test(key)) throw new StepKeyInvalidError(ownerId, key);
  if (blank(step.title)) throw new StepTitleRequiredError(ownerId, key);
  if (!Number.isInteger(step.dayOffset) || step.dayOffset < MIN_DAY_OFFSET || step.dayOffset > MAX_DAY_OFFSET) {
    throw new StepDayOffsetInvalidError(ownerId, key, step.dayOffset);
  }
  if (step.time !== null && !isLocalTime(step.time)) throw new StepTimeInvalidError(ownerId, key, step.time);
  if (step.link !== null && !isHttpsUrl(step.link)) throw new StepLinkInvalidError(ownerId, key);
  if (kind === 'session') {
    if (step.time === null || step.durationMinutes === null) throw new SessionScheduleRequiredError(ownerId, key);
    if (!Number.isInteger(step.durationMinutes) || step.durationMinutes < 1 || step.durationMinutes > MAX_SESSION_MINUTES) {
      throw new SessionDurationInvalidError(ownerId, key, step.durationMinutes);
    }
    if (step.capacity !== null && (!Number.isInteger(step.capacity) || step.capacity < 1)) throw new SessionCapacityInvalidError(ownerId, key);
    if (step.presenter !== null && !validPresenterAddress(step.presenter)) throw new StepPartyInvalidError(ownerId, key, 'presenter');
    if (step.owner !== null) throw new StepFieldNotAllowedError(ownerId, key, 'owner', kind);
    return;
  }
  const sessionOnly: [string, unknown][] = [
    ['durationMinutes', step.durationMinutes],
    ['capacity', step.capacity],
    ['audience', step.audience],
    ['location', step.location],
    ['link', step.link],
    ['presenter', step.presenter],
  ];
  const misplaced = sessionOnly.find(([, value]) => value !== null);
  if (misplaced) throw new StepFieldNotAllowedError(ownerId, key, misplaced[0], kind);
  if (step.owner !== null && !validTaskOwner(step.owner)) throw new StepPartyInvalidError(ownerId, key, 'owner');
}

/**
 * The rules of a set of steps: each valid, keys unique, every `after` naming another step, and no
 * circle of conditions. `after` may name a later step (a task on day 1 may wait for one on day 3:
 * "do it once the course is over"); only a circle makes steps unreachable.
 */
export function validateSteps(ownerId: string, steps: readonly StepDefinition[]): void {
  const byKey = new Map<string, StepDefinition>();
  for (const step of steps) {
    validateStep(ownerId, step);
    if (byKey.has(step.key)) throw new StepKeyDuplicateError(ownerId, step.key);
    byKey.set(step.key, step);
  }
  for (const step of steps) {
    if (step.after !== null && (step.after === step.key || !byKey.has(step.after))) throw new StepConditionUnknownError(ownerId, step.key, step.after);
  }
  for (const step of steps) {
    // Each step waits for at most one other: follow the chain; meeting the start again is a circle.
    const chain = [step.key];
    let next = step.after;
    while (next !== null && chain.length <= steps.length) {
      if (next === step.key) throw new StepConditionCycleError(ownerId, [...chain, next]);
      chain.push(next);
      next = byKey.get(next)?.after ?? null;
    }
  }
}
