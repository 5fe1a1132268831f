import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MandateChanged } from '@leadership/delegation-contracts';
import { MandateHandOverHandler } from '@leadership/onboarding-application';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler } from '@leadership/messaging-kafka';

/**
 * Mandate changes from `leadership.delegation.mandates.v1`, on the service's own consumer group
 * (the authority projection reads the same topic on its own): thin — the validated mandate in, the
 * hand-over out. The handler waits until the projection holds this version, so "who holds what"
 * already reflects it; a failure is retried with back-off and finally parked by the server.
 */
@Controller()
export class MandateEventsController {
  constructor(private readonly handOver: MandateHandOverHandler) {}

  @IntegrationEventHandler(MandateChanged)
  async onMandateChanged(@Payload() event: CloudEventOf<typeof MandateChanged>): Promise<void> {
    const { mandate, version } = event.data;
    await this.handOver.onMandateChanged(
      { mandateId: mandate.mandateId, version, taskType: mandate.taskType, unitId: mandate.scope.unitId, status: mandate.status },
      { causationId: event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) },
    );
  }
}
