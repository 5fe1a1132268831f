import { Controller, Inject } from '@nestjs/common';
import { AuthorityConsumer } from '@leadership/authority';
import { Payload } from '@nestjs/microservices';
import { MandateChanged } from '@leadership/delegation-contracts';
import { MandateHandOverHandler } from '@leadership/onboarding-application';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler } from '@leadership/messaging-kafka';

/**
 * Mandate changes from `leadership.delegation.mandates.v1`, on the service's own consumer group
 * (the authority projection reads the same topic on its own): thin — the validated mandate in, the
 * hand-over out. The mandate is applied to the authority projection first (version-guarded, so
 * applying what its own consumer applies too changes nothing), so "who holds what" reflects it
 * whichever group reads it first; an implausible version is parked at once (NonRetriableError),
 * any other failure retried with back-off and finally parked by the server.
 */
@Controller()
export class MandateEventsController {
  constructor(
    private readonly handOver: MandateHandOverHandler,
    @Inject(AuthorityConsumer) private readonly authority: AuthorityConsumer,
  ) {}

  @IntegrationEventHandler(MandateChanged)
  async onMandateChanged(@Payload() event: CloudEventOf<typeof MandateChanged>): Promise<void> {
    await this.authority.applyMandateChanged(event.data);
    const { mandate, version } = event.data;
    await this.handOver.onMandateChanged(
      { mandateId: mandate.mandateId, version, taskType: mandate.taskType, unitId: mandate.scope.unitId, status: mandate.status },
      { causationId: event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) },
    );
  }
}
