import { Controller, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DefineProgrammeHandler } from '@leadership/onboarding-application';
import { putProgrammeBody, type PutProgrammeBody } from '@leadership/onboarding-contracts';
import { commandContext, CurrentActor, etag, openApiSchema, ZodBody, ZodValidationPipe, type Actor } from '@leadership/platform-nest';
import { idParam } from './onboarding.schemas';
import { presentProgramme } from './onboarding.presenters';

/** Programme templates (authority `onboarding.plan` in the unit, or formal management of it). */
@ApiTags('programmes')
@Controller('programmes')
export class ProgrammesController {
  constructor(private readonly defineProgramme: DefineProgrammeHandler) {}

  @Put(':id')
  @ApiOperation({ summary: 'Define a programme or write its next version (same content: no new version); 201 when created, 200 otherwise' })
  @ApiBody({ schema: openApiSchema(putProgrammeBody) })
  async put(@Param('id', new ZodValidationPipe(idParam, 'params')) id: string, @ZodBody(putProgrammeBody) body: PutProgrammeBody, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.defineProgramme.execute({ programmeId: id, ...body }, commandContext(actor, req));
    res.status(result.created ? 201 : 200);
    res.setHeader('ETag', etag(result.version));
    return presentProgramme(result.programme, result.version);
  }
}
