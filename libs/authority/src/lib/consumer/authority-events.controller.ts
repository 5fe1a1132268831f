import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MandateChanged, UnitChanged } from '@leadership/delegation-contracts';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler } from '@leadership/messaging-kafka';
import { AUTHORITY_CONSUMER, AuthorityConsumer } from './authority.consumer';

/**
 * The authority projection's Kafka handlers (consumer AUTHORITY_CONSUMER): a validated
 * CloudEvent in, one apply call out. Dedupe, retries and dead letters are the server's.
 */
@Controller()
export class AuthorityEventsController {
  constructor(@Inject(AuthorityConsumer) private readonly consumer: AuthorityConsumer) {}

  @IntegrationEventHandler(MandateChanged, { consumer: AUTHORITY_CONSUMER })
  onMandateChanged(@Payload() event: CloudEventOf<typeof MandateChanged>): Promise<void> {
    return this.consumer.applyMandateChanged(event.data);
  }

  @IntegrationEventHandler(UnitChanged, { consumer: AUTHORITY_CONSUMER })
  onUnitChanged(@Payload() event: CloudEventOf<typeof UnitChanged>): Promise<void> {
    return this.consumer.applyUnitChanged(event.data);
  }
}
