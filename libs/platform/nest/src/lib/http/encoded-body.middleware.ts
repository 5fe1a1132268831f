import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ProblemException, problems } from './problem';

/**
 * Refuses compressed request bodies (415) before anything reads them. A size limit counts the
 * bytes after inflation only while they are being inflated; a 17 KB gzip body that inflates to
 * 18 MB is a cheap way to make a server work and allocate, so bodies travel uncompressed.
 */
export function refuseEncodedBodies(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      next();
      return;
    }
    next(new ProblemException(problems.unsupportedMediaType(`Content-Encoding "${encoding.slice(0, 40)}" is not accepted: send the body uncompressed.`)));
  };
}
