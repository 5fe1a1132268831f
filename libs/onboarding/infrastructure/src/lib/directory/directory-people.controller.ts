import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { PersonChanged } from '@leadership/delegation-contracts';
import { DirectoryPersonHandler } from '@leadership/onboarding-application';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler } from '@leadership/messaging-kafka';

/** The consumer of the directory topic: its own group, read from the beginning (every person's memberships, skills and absences). */
export const ONBOARDING_DIRECTORY_CONSUMER = Symbol('onboarding.directory');

/**
 * `PersonChanged` from `leadership.delegation.directory.v1` into the directory handler: draft plans
 * for new members of units, the projection of people (memberships, skills, absences: a message
 * without skills or absences leaves the known ones), presenters released for their absences.
 * `UnitChanged` on the same topic is the authority projection's (its own group) and is skipped here.
 */
@Controller()
export class DirectoryPeopleController {
  constructor(private readonly directory: DirectoryPersonHandler) {}

  @IntegrationEventHandler(PersonChanged, { consumer: ONBOARDING_DIRECTORY_CONSUMER })
  async onPersonChanged(@Payload() event: CloudEventOf<typeof PersonChanged>): Promise<void> {
    const { personId, version, unitIds, skills, absences, occurredAt } = event.data;
    await this.directory.onPersonChanged(
      { personId, version, unitIds, occurredAt, ...(skills ? { skills } : {}), ...(absences ? { absences } : {}) },
      { causationId: event.id, ...(event.traceparent ? { traceparent: event.traceparent } : {}) },
    );
  }
}
