import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { DelegationServices } from '../delegation-services';
import { InjectDelegation, ZodQuery } from './http-support';
import { authorityQuery } from './schemas';

@ApiTags('authority')
@Controller('authority')
export class AuthorityController {
  constructor(@InjectDelegation() private readonly services: DelegationServices) {}

  private async query(q: z.infer<typeof authorityQuery>) {
    // Read-your-writes: answer after the read model has applied what was committed before the question.
    await this.services.projector.catchUp();
    return { ...q, at: q.at ?? this.services.now().toISOString() };
  }

  @Get('check')
  @ApiOperation({ summary: 'May personId exercise authority in unitId (queue/project) at `at` (default now)? → { allowed, basis, mandateId, mandateVersion, reason }' })
  async check(@ZodQuery(authorityQuery) q: z.infer<typeof authorityQuery>) {
    return this.services.queries.check(await this.query(q));
  }

  @Get('why')
  @ApiOperation({ summary: 'The answer and the chain behind it: mandate → delegator → their formal-manager basis' })
  async why(@ZodQuery(authorityQuery) q: z.infer<typeof authorityQuery>) {
    return this.services.queries.why(await this.query(q));
  }
}
