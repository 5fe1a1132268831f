import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';

/** The service's AsyncAPI document (generated from its contracts), provided by the service. */
export const ASYNCAPI_DOCUMENT = Symbol('ASYNCAPI_DOCUMENT');

/** Serves the AsyncAPI document of the events the service publishes, beside OpenAPI's /docs. */
@ApiTags('operations')
@Controller()
export class AsyncApiController {
  constructor(@Inject(ASYNCAPI_DOCUMENT) private readonly document: Readonly<Record<string, unknown>>) {}

  @Public()
  @Get('asyncapi.json')
  @ApiOperation({ summary: 'AsyncAPI 3 document of the events this service publishes' })
  asyncapi(): Readonly<Record<string, unknown>> {
    return this.document;
  }
}
