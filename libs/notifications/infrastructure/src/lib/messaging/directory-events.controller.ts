import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { PersonChanged, UnitChanged } from '@leadership/delegation-contracts';
import type { CloudEventOf } from '@leadership/messaging-contracts';
import { IntegrationEventHandler } from '@leadership/messaging-kafka';
import { DirectoryProjection } from '../directory/directory.projection';

/** The consumer of the directory topic: its own group, read from the beginning (every person's locale, every unit's name). */
export const DIRECTORY_CONSUMER = Symbol('notifications.directory');

/** The directory topic into the directory projection (version-guarded: redelivery is harmless). */
@Controller()
export class DirectoryEventsController {
  constructor(private readonly directory: DirectoryProjection) {}

  /** One handler for the topic's two types (the consumer runs one handler per topic). */
  @IntegrationEventHandler([PersonChanged, UnitChanged], { consumer: DIRECTORY_CONSUMER })
  async onDirectoryChanged(@Payload() event: CloudEventOf<typeof PersonChanged> | CloudEventOf<typeof UnitChanged>): Promise<void> {
    if (event.type === PersonChanged.type) await this.directory.applyPersonChanged(event.data);
    else await this.directory.applyUnitChanged(event.data);
  }
}
