import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a handler's error back to the CloudEventsKafkaServer unchanged. Nest's default RPC
 * filter logs it and replaces it with `{ status: 'error', message: 'Internal server error' }`;
 * the idempotent processor needs the error itself, to tell a NonRetriableError from a transient
 * failure and to write the real message into the `dlq-error` header of a parked record.
 */
@Catch()
export class IntegrationEventErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
