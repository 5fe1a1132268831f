import { Controller, Get, Put, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { GetPreferencesQuery, SetPreferencesHandler } from '@leadership/notifications-application';
import { preferencesSchema, type PreferencesBody } from '@leadership/notifications-contracts';
import type { Weekday } from '@leadership/notifications-domain';
import { commandContext, CurrentActor, openApiSchema, ZodBody, type Actor } from '@leadership/platform-nest';

/** The caller's notification preferences (nobody else's: an admin changing them is not a feature yet). */
@ApiTags('preferences')
@Controller('preferences')
export class PreferencesController {
  constructor(
    private readonly getPreferences: GetPreferencesQuery,
    private readonly setPreferences: SetPreferencesHandler,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your preferences: time zone, quiet hours, channels and digests per category (defaults until you set any)' })
  async get(@CurrentActor() actor: Actor) {
    const view = await this.getPreferences.execute(actor.personId);
    return { ...view.preferences, isDefault: view.isDefault };
  }

  @Put()
  @ApiOperation({ summary: 'Replace your preferences (critical notifications ignore them)' })
  @ApiBody({ schema: openApiSchema(preferencesSchema) })
  async put(@ZodBody(preferencesSchema) body: PreferencesBody, @CurrentActor() actor: Actor, @Req() req: Request) {
    const quietHours = body.quietHours ? { ...body.quietHours, days: body.quietHours.days as Weekday[] } : null;
    const view = await this.setPreferences.execute(actor.personId, { ...body, quietHours }, commandContext(actor, req));
    return { ...view.preferences, isDefault: false };
  }
}
