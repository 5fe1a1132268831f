import { isBefore } from '../shared/instant';
import type { PresenterAddress, TaskOwner } from '../shared/onboarding-vocabulary';
import type { ExistingPlan, GeneratedPlan } from '../plan/plan.decider';
import { currentSteps } from '../plan/plan.decider';
import type { PlanStep } from '../plan/plan-step';
import type { ExistingSession } from '../session/session.decider';

/*
 * Progress as pure views of plans and sessions at a given time: the newcomer's checklist and the
 * manager's overview of a unit. Late is a function of `now`, never a stored flag, so a view is
 * right whenever it is computed.
 */

/** Tasks: done, open, waiting for their condition, or late. Sessions: upcoming or past. */
export type ChecklistStatus = 'done' | 'open' | 'waiting' | 'late' | 'upcoming' | 'past';

export interface ChecklistItem {
  readonly key: string;
  readonly kind: PlanStep['kind'];
  readonly title: string;
  readonly status: ChecklistStatus;
  readonly localDate: string;
  readonly due: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly sessionId: string | null;
  readonly owner: TaskOwner | null;
  /** The step this one waits for, while it is not done. */
  readonly waitingFor: string | null;
}

export interface NewcomerChecklist {
  readonly newcomerId: string;
  readonly status: ExistingPlan['status'];
  /** In calendar order (removed steps are history, not part of the checklist). */
  readonly items: readonly ChecklistItem[];
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly late: number;
}

const isLate = (step: PlanStep, now: string): boolean => step.kind === 'task' && step.status === 'open' && step.due !== null && !isBefore(now, step.due);

function itemStatus(plan: GeneratedPlan, step: PlanStep, now: string): { status: ChecklistStatus; waitingFor: string | null } {
  if (step.kind === 'session') return { status: step.end !== null && !isBefore(now, step.end) ? 'past' : 'upcoming', waitingFor: null };
  if (step.status === 'done') return { status: 'done', waitingFor: null };
  if (isLate(step, now)) return { status: 'late', waitingFor: null };
  const waiting = step.after !== null && plan.steps.find((other) => other.key === step.after)?.status !== 'done';
  return waiting ? { status: 'waiting', waitingFor: step.after } : { status: 'open', waitingFor: null };
}

const when = (step: PlanStep): string => step.start ?? step.due ?? '';

/** The newcomer's checklist at `now`. */
export function newcomerChecklist(plan: ExistingPlan, now: string): NewcomerChecklist {
  if (plan.status === 'draft') return { newcomerId: plan.newcomerId, status: plan.status, items: [], tasksDone: 0, tasksTotal: 0, late: 0 };
  const steps = [...currentSteps(plan)].sort((a, b) => Date.parse(when(a)) - Date.parse(when(b)) || a.key.localeCompare(b.key));
  const items = steps.map((step): ChecklistItem => {
    const { key, kind, title, localDate, due, start, end, sessionId, owner } = step;
    return { key, kind, title, localDate, due, start, end, sessionId, owner, ...itemStatus(plan, step, now) };
  });
  const tasks = steps.filter((step) => step.kind === 'task');
  return {
    newcomerId: plan.newcomerId,
    status: plan.status,
    items,
    tasksDone: tasks.filter((step) => step.status === 'done').length,
    tasksTotal: tasks.length,
    late: items.filter((item) => item.status === 'late').length,
  };
}

export interface UnitOverview {
  readonly unitId: string;
  readonly newcomers: readonly {
    readonly newcomerId: string;
    readonly status: ExistingPlan['status'];
    readonly startDate: string | null;
    readonly organiserId: string | null;
    readonly tasksDone: number;
    readonly tasksTotal: number;
    readonly late: number;
  }[];
  readonly lateTasks: readonly { readonly newcomerId: string; readonly key: string; readonly title: string; readonly due: string; readonly owner: TaskOwner | null }[];
  /** Sessions still to come that want a presenter and have no confirmed one. */
  /** Scheduled sessions still to come that nobody has confirmed to present; `presenterSlot` is whom the programme addressed, null when nobody (booked by hand, or not yet). */
  readonly sessionsWithoutPresenter: readonly { readonly sessionId: string; readonly newcomerId: string; readonly title: string; readonly start: string; readonly presenterSlot: PresenterAddress | null }[];
  /** Open tasks nobody owns (the programme named no owner). */
  readonly tasksWithoutOwner: readonly { readonly newcomerId: string; readonly key: string; readonly title: string; readonly due: string | null }[];
}

/** The onboarding manager's overview of a unit at `now`, from its plans and their sessions. */
export function unitOverview(unitId: string, plans: readonly ExistingPlan[], sessions: readonly ExistingSession[], now: string): UnitOverview {
  const mine = plans.filter((plan) => plan.unitId === unitId).sort((a, b) => a.newcomerId.localeCompare(b.newcomerId));
  const live = mine.filter((plan): plan is GeneratedPlan => plan.status === 'active');
  const openTasks = live.flatMap((plan) => currentSteps(plan).filter((step) => step.kind === 'task' && step.status === 'open').map((step) => ({ plan, step })));
  return {
    unitId,
    newcomers: mine.map((plan) => {
      const checklist = newcomerChecklist(plan, now);
      const generated = plan.status === 'draft' ? null : plan;
      return {
        newcomerId: plan.newcomerId,
        status: plan.status,
        startDate: generated?.startDate ?? null,
        organiserId: generated?.organiserId ?? null,
        tasksDone: checklist.tasksDone,
        tasksTotal: checklist.tasksTotal,
        late: plan.status === 'active' ? checklist.late : 0,
      };
    }),
    lateTasks: openTasks
      .filter(({ step }) => isLate(step, now))
      .map(({ plan, step }) => ({ newcomerId: plan.newcomerId, key: step.key, title: step.title, due: step.due ?? '', owner: step.owner }))
      .sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.newcomerId.localeCompare(b.newcomerId)),
    sessionsWithoutPresenter: sessions
      .filter((session) => session.unitId === unitId && session.status === 'scheduled' && session.presenterId === null && isBefore(now, session.to))
      // Also those without a slot: a request made by hand that was declined or expired leaves the session with nobody.
      .map((session) => ({ sessionId: session.sessionId, newcomerId: session.planId, title: session.title, start: session.from, presenterSlot: session.presenterSlot }))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
    tasksWithoutOwner: openTasks.filter(({ step }) => step.owner === null).map(({ plan, step }) => ({ newcomerId: plan.newcomerId, key: step.key, title: step.title, due: step.due })),
  };
}
