import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CaseAssignmentEvent, CaseChanged } from '@leadership/case-distribution-contracts';
import { MandateChanged, MandateReminderDue } from '@leadership/delegation-contracts';
import { DomainRuleError } from '@leadership/kernel';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler, NonRetriableError } from '@leadership/messaging-kafka';
import { StartWorkflowsHandler, type ConsumedSourceEvent, type RoleDirectory } from '@leadership/notifications-application';
import { FORMAL_MANAGER_ROLE, roleAddress } from '@leadership/notifications-domain';
import { BookingChanged, SessionChanged, SessionReminderDue, TaskReminderDue } from '@leadership/onboarding-contracts';

/** The role directory (mandates in force, unit names) as consumers and use cases read it. */
export const ROLE_DIRECTORY = Symbol('RoleDirectory');

/**
 * The source events notifications are made of (thin: payload in, flat facts, one use case). The
 * facts are ids, instants and the unit — never names or addresses, which are looked up at send
 * time. Idempotent by construction: a notification's id derives from the CloudEvent id and the
 * workflow, so a redelivered event makes no second notification even where the consumer's dedupe
 * record was forgotten. A refusal by the domain can never succeed: parked on the dead-letter topic.
 *
 * Its consumer group starts at the end of the topics when it is new: notifications are news, and a
 * first deployment must not mail everyone about every mandate in the topics' history.
 */
@Controller()
export class SourceEventsController {
  constructor(
    private readonly startWorkflows: StartWorkflowsHandler,
    @Inject(ROLE_DIRECTORY) private readonly roles: RoleDirectory,
  ) {}

  @IntegrationEventHandler(MandateChanged)
  onMandateChanged(@Payload() event: CloudEventOf<typeof MandateChanged>): Promise<void> {
    const { mandate, change, occurredAt } = event.data;
    return this.start(event, change, {
      mandateId: mandate.mandateId,
      taskType: mandate.taskType,
      unitId: mandate.scope.unitId,
      delegatorId: mandate.delegatorId,
      delegateId: mandate.delegateId,
      deputyId: mandate.deputyId,
      from: mandate.period.from,
      until: mandate.period.until,
      endedAt: mandate.endedAt ?? occurredAt,
    });
  }

  @IntegrationEventHandler(MandateReminderDue)
  onReminderDue(@Payload() event: CloudEventOf<typeof MandateReminderDue>): Promise<void> {
    const { mandateId, kind, dueAt, delegateId, delegatorId, daysBefore, until } = event.data;
    // Reminders name the mandate only; its task type and unit come from the mandates this service has seen.
    const scope = this.roles.mandateScope(mandateId);
    return this.start(event, kind, { mandateId, dueAt, delegateId, delegatorId, daysBefore, until, taskType: scope?.taskType ?? '', unitId: scope?.unitId ?? '' });
  }

  @IntegrationEventHandler(CaseAssignmentEvent)
  onCaseAssignment(@Payload() event: CloudEventOf<typeof CaseAssignmentEvent>): Promise<void> {
    const { caseId, kind, queueId, unitId, priority, agentId, expiresAt, sla } = event.data;
    return this.start(event, kind, { caseId, queueId, unitId, priority, agentId, expiresAt, target: sla?.target ?? null, dueAt: sla?.dueAt ?? null });
  }

  /** Only the warning starts a workflow: it goes to the delegator of the mandate the warned decision relied on (the unit's formal managers when that mandate is unknown here). */
  @IntegrationEventHandler(CaseChanged)
  onCaseChanged(@Payload() event: CloudEventOf<typeof CaseChanged>): Promise<void> {
    const { caseId, change, unitId, queueId, priority, decisions, actorId } = event.data;
    if (change !== 'framework-warning-recorded') return Promise.resolve();
    const relied = [...decisions].reverse().find((decision) => decision.mandateId !== null);
    const delegatorId = relied?.mandateId ? (this.roles.mandateScope(relied.mandateId)?.delegatorId ?? null) : null;
    const warnTo = delegatorId ?? roleAddress(FORMAL_MANAGER_ROLE, unitId);
    return this.start(event, change, { caseId, unitId, queueId, priority, actorId, mandateId: relied?.mandateId ?? null, delegatorId, warnTo });
  }

  @IntegrationEventHandler(BookingChanged)
  onBookingChanged(@Payload() event: CloudEventOf<typeof BookingChanged>): Promise<void> {
    const { bookingId, kind, sessionId, presenterId, topic, startsAt, endsAt, expiresAt, stamp } = event.data;
    return this.start(event, kind, { bookingId, sessionId, presenterId, topic, startsAt, endsAt, expiresAt, organiserId: stamp.actorId });
  }

  /** The session's state after the change: what its calendar invitation is written from when the e-mail goes out. */
  @IntegrationEventHandler(SessionChanged)
  onSessionChanged(@Payload() event: CloudEventOf<typeof SessionChanged>): Promise<void> {
    const { sessionId, change, status, unitId, title, start, end, location, link, organiserId, attendeeIds, presenterId, formerPresenterId, sequence } = event.data;
    const placeText = location ? `, ${location}` : link ? `, ${link}` : '';
    return this.start(event, change, { sessionId, sessionStatus: status, unitId, title, start, end, location, link, placeText, organiserId, attendeeIds, presenterId, formerPresenterId, sequence });
  }

  /** Both reminders share their topic, so one handler takes both (a consumer runs one handler per topic). */
  @IntegrationEventHandler([SessionReminderDue, TaskReminderDue])
  onOnboardingReminder(@Payload() event: CloudEventOf<typeof SessionReminderDue | typeof TaskReminderDue>): Promise<void> {
    if (event.type === SessionReminderDue.type) {
      const { kind, sessionId, newcomerId, unitId, presenterId, topic, startsAt, place } = event.data as CloudEventOf<typeof SessionReminderDue>['data'];
      return this.start(event, kind, { sessionId, newcomerId, unitId, presenterId, topic, startsAt, place: place ?? '' });
    }
    // A task reminder names a person, or a role of the unit that is resolved at send time (the formal managers when nobody holds it).
    const { kind, newcomerId, unitId, stepKey, dueAt, daysBefore, recipientId, recipientRole } = event.data as CloudEventOf<typeof TaskReminderDue>['data'];
    const role = recipientRole === 'formal-manager' ? FORMAL_MANAGER_ROLE : recipientRole;
    const recipient = recipientId ?? (role ? roleAddress(role, unitId) : null);
    return this.start(event, kind, { newcomerId, unitId, stepKey, dueAt, daysBefore, recipient });
  }

  private async start(event: { readonly id: string; readonly type: string; readonly source: string }, kind: string, facts: ConsumedSourceEvent['facts']): Promise<void> {
    try {
      await this.startWorkflows.execute({ type: event.type, id: event.id, kind, publisher: event.source, facts });
    } catch (error) {
      if (error instanceof DomainRuleError) throw new NonRetriableError(`${error.rule}: ${error.message}`);
      throw error;
    }
  }
}
