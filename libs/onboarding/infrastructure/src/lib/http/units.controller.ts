import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnitOverviewQuery } from '@leadership/onboarding-application';
import { CurrentActor, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { readsEverything } from './newcomers.controller';
import { idParam } from './onboarding.schemas';

/** The onboarding manager's overview of a unit (`onboarding.plan` there, or formal management). */
@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(private readonly overview: UnitOverviewQuery) {}

  @Get(':unitId/onboarding')
  @ApiOperation({ summary: 'Newcomers and progress, late tasks, sessions without a confirmed presenter, tasks without an owner' })
  get(@Param('unitId', new ZodValidationPipe(idParam, 'params')) unitId: string, @CurrentActor() actor: Actor) {
    return this.overview.execute(unitId, actor.personId, readsEverything(actor));
  }
}
