import type { ExistingBooking, ExistingProgramme, ExistingSession, PlanStep } from '@leadership/onboarding-domain';
import type { NewcomerPlan } from '@leadership/onboarding-application';

/* Response shapes of the onboarding API (field names other tools rely on: see issue #9). */

export function presentBooking(booking: ExistingBooking, version?: number) {
  const { bookingId, sessionId, personId, status, title, from, to, expiresAt, resolution, stamp, requestedAt, answeredAt } = booking;
  return { bookingId, ...(version !== undefined ? { version } : {}), sessionId, personId, status, title, start: from, end: to, expiresAt, resolution, stamp, requestedAt, answeredAt };
}

export function presentProgramme(programme: ExistingProgramme, version: number) {
  const { programmeId, unitId, title, steps, changedAt, changedBy } = programme;
  return { programmeId, version: programme.version, streamVersion: version, unitId, title, steps, changedAt, changedBy };
}

function presentStep(step: PlanStep, session: ExistingSession | undefined) {
  return {
    key: step.key,
    kind: step.kind,
    title: step.title,
    status: step.status,
    localDate: step.localDate,
    ...(step.sessionId !== null ? { sessionId: step.sessionId } : {}),
    ...(step.start !== null ? { start: step.start } : {}),
    ...(step.end !== null ? { end: step.end } : {}),
    ...(step.due !== null ? { due: step.due } : {}),
    ...(session?.presenterId ? { presenterId: session.presenterId } : {}),
    ...(step.presenter !== null ? { presenter: step.presenter } : {}),
    ...(step.owner !== null ? { owner: step.owner } : {}),
    ...(step.after !== null ? { after: step.after } : {}),
    ...(step.location !== null ? { location: step.location } : {}),
    ...(step.link !== null ? { link: step.link } : {}),
    ...(step.origin !== null ? { origin: step.origin } : {}),
    ...(session ? { sessionStatus: session.status, sequence: session.sequence, organiserId: session.organiserId } : {}),
    doneAt: step.doneAt,
    doneBy: step.doneBy,
  };
}

/** The plan: `{ newcomerId, steps: [{ key, kind, title, status, sessionId?, start?, end?, presenterId? }] }` and more. */
export function presentPlan({ plan, version, sessions, checklist }: NewcomerPlan) {
  const generated = plan.status === 'draft' ? undefined : plan;
  return {
    newcomerId: plan.newcomerId,
    version,
    status: plan.status,
    unitId: plan.unitId,
    startDate: generated?.startDate ?? null,
    timeZone: generated?.timeZone ?? null,
    organiserId: generated?.organiserId ?? null,
    programmes: generated?.programmes ?? [],
    completedAt: generated?.completedAt ?? null,
    steps: (generated?.steps ?? []).map((step) => presentStep(step, step.sessionId === null ? undefined : sessions.get(step.sessionId))),
    progress: { tasksDone: checklist.tasksDone, tasksTotal: checklist.tasksTotal, late: checklist.late },
    checklist: checklist.items,
  };
}
