import { CurrentActor, ZodQuery, type Actor } from '@leadership/platform-nest';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { InjectLeadership, type LeadershipPort } from './delegation-http.ports';
import { authorityQuery } from './schemas';

@ApiTags('authority')
@Controller('authority')
export class AuthorityController {
  constructor(@InjectLeadership() private readonly leadership: LeadershipPort) {}

  @Get('check')
  @ApiOperation({ summary: 'May personId exercise authority in unitId (queue/project) at `at` (default now)? → { allowed, basis, mandateId, mandateVersion, reason }. Asked by the person, formal managers of the unit or above, coordinators there, compliance or system callers (else 403)' })
  async check(@ZodQuery(authorityQuery) q: z.infer<typeof authorityQuery>, @CurrentActor() actor: Actor) {
    await this.leadership.assertMayAsk(actor, q);
    return this.leadership.check(q);
  }

  @Get('why')
  @ApiOperation({ summary: 'The answer and the chain behind it: mandate → delegator → their formal-manager basis' })
  async why(@ZodQuery(authorityQuery) q: z.infer<typeof authorityQuery>, @CurrentActor() actor: Actor) {
    await this.leadership.assertMayAsk(actor, q);
    return this.leadership.why(q);
  }
}
