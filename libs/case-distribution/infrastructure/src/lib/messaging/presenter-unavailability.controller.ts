import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AgentAvailabilityHandler } from '@leadership/case-distribution-application';
import { DomainRuleError } from '@leadership/kernel';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler, NonRetriableError } from '@leadership/messaging-kafka';
import { PresenterUnavailabilityChanged } from '@leadership/onboarding-contracts';

/** The consumer (own group) of the onboarding context's sessions topic. */
export const ONBOARDING_SESSIONS_CONSUMER = Symbol('OnboardingSessionsConsumer');

/** The window's source id on the agent: one per session, so a moved session replaces its window. */
export const onboardingSourceId = (sessionId: string): string => `onboarding:${sessionId}`;

/**
 * Presenter windows from `leadership.onboarding.sessions.v1` (thin: validated payload in, one
 * command out): a confirmed onboarding session makes its presenter unavailable for case routing
 * during it; a cancelled, released or withdrawn one gives the time back. Idempotent by the
 * agent decider (the same window again, or withdrawing what is not there, changes nothing).
 * A window the domain refuses (empty) can never succeed: parked, not retried.
 */
@Controller()
export class PresenterUnavailabilityController {
  constructor(private readonly availability: AgentAvailabilityHandler) {}

  @IntegrationEventHandler(PresenterUnavailabilityChanged, { consumer: ONBOARDING_SESSIONS_CONSUMER })
  async onPresenterUnavailabilityChanged(@Payload() event: CloudEventOf<typeof PresenterUnavailabilityChanged>): Promise<void> {
    const { personId, sessionId, kind, from, to } = event.data;
    const context = { actorId: 'system:onboarding', causationId: event.id };
    try {
      if (kind === 'unavailable') await this.availability.recordUnavailability(personId, { sourceId: onboardingSourceId(sessionId), source: 'onboarding', from, to }, context);
      else await this.availability.withdrawUnavailability(personId, onboardingSourceId(sessionId), context);
    } catch (error) {
      if (error instanceof DomainRuleError) throw new NonRetriableError(`${error.rule}: ${error.message}`);
      throw error;
    }
  }
}
