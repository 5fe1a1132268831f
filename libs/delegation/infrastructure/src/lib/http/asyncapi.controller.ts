import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@leadership/platform-nest';
import { delegationAsyncApi } from '../messaging/delegation-asyncapi';

@ApiTags('operations')
@Controller()
export class AsyncApiController {
  private readonly document = delegationAsyncApi();

  @Public()
  @Get('asyncapi.json')
  @ApiOperation({ summary: 'AsyncAPI 3 document of the events this service publishes' })
  asyncapi() {
    return this.document;
  }
}
