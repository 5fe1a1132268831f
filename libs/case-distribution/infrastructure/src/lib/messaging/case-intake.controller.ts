import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RegisterCaseHandler } from '@leadership/case-distribution-application';
import { CaseSubmitted } from '@leadership/case-distribution-contracts';
import { deterministicId, DomainRuleError } from '@leadership/kernel';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler, NonRetriableError } from '@leadership/messaging-kafka';

/** The case id of an intake message: derived from its CloudEvent id, so a redelivery finds the case it made. */
export const intakeCaseId = (cloudEventId: string): string => deterministicId('case-intake', cloudEventId);

/**
 * Other departments' cases from `leadership.cases.intake.v1` (thin: validated payload in, one
 * command out). Idempotent twice over: the consumer dedupes by CloudEvent id, and the case id is
 * derived from it, so even a message whose dedupe record was forgotten registers nothing new.
 * A message the domain refuses (unknown queue, blank title) can never succeed: it is parked on
 * the group's dead-letter topic with the rule, not retried.
 */
@Controller()
export class CaseIntakeController {
  constructor(private readonly registerCase: RegisterCaseHandler) {}

  @IntegrationEventHandler(CaseSubmitted)
  async onCaseSubmitted(@Payload() event: CloudEventOf<typeof CaseSubmitted>): Promise<void> {
    try {
      await this.registerCase.execute({ caseId: intakeCaseId(event.id), ...event.data }, { actorId: `system:${event.source}`, causationId: event.id });
    } catch (error) {
      if (error instanceof DomainRuleError) throw new NonRetriableError(`${error.rule}: ${error.message}`);
      throw error;
    }
  }
}
