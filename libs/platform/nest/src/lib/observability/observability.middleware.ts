import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { childTraceparent, correlationIdFrom, requestContext } from './request-context';

/**
 * Express middleware: binds a correlation id and trace context to the request (echoed in
 * response headers) and records the request duration by route template.
 */
export function observabilityMiddleware(histogram: Histogram<'method' | 'route' | 'status'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = correlationIdFrom(req.headers['x-correlation-id']);
    const traceparent = childTraceparent(typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined);
    res.setHeader('x-correlation-id', correlationId);
    res.setHeader('traceparent', traceparent);
    const end = histogram.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req as Request & { route?: { path?: string } }).route?.path;
      end({ route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    requestContext.run({ correlationId, traceparent }, () => next());
  };
}
