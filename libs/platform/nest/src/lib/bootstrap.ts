import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import type { Registry } from 'prom-client';
import { authenticationMiddleware } from './auth/authentication.middleware';
import { publicRoutesOf } from './auth/public-routes';
import { TokenVerifier } from './auth/token-verifier';
import { refuseEncodedBodies } from './http/encoded-body.middleware';
import { METRICS_REGISTRY } from './observability/health.controller';
import { SERVICE_LOGGER } from './platform.module';
import { JsonLogger } from './observability/json-logger';
import { httpDurationHistogram } from './observability/metrics';
import { observabilityMiddleware } from './observability/observability.middleware';

export interface HttpServiceOptions {
  readonly serviceName: string;
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** Largest accepted JSON body (default 256 KiB); bulk endpoints raise it with `bodyLimits`. */
  readonly bodyLimit?: string;
  /** Larger limits for specific path prefixes, e.g. `{ '/directory/import': '10mb' }`. */
  readonly bodyLimits?: Readonly<Record<string, string>>;
  /** Adds paths/schemas the decorators cannot express. */
  readonly decorateOpenApi?: (document: OpenAPIObject) => OpenAPIObject;
}

const DOCS_PATH = 'docs';
/** What SwaggerModule serves besides the UI: reachable without a token, like the UI. */
const DOCS_PREFIXES = [`/${DOCS_PATH}`, `/${DOCS_PATH}-json`, `/${DOCS_PATH}-yaml`];

/**
 * Creates the Nest HTTP app with the platform's conventions: correlation ids and request
 * metrics; then authentication of every non-public request (before any body is read); then
 * uncompressed JSON bodies only, size-limited; OpenAPI at /docs (JSON at /docs-json). The caller
 * listens and stops it: no Nest shutdown hooks, whose signal handler closes the app on its own and
 * then raises the signal again, racing the service's ordered shutdown (ServiceLifecycle).
 */
export async function createHttpService(module: Type<unknown> | DynamicModule, options: HttpServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bodyParser: false, logger: new JsonLogger(options.serviceName), abortOnError: false });
  app.useLogger(app.get(SERVICE_LOGGER));
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('etag', false);
  app.use(observabilityMiddleware(httpDurationHistogram(app.get<Registry>(METRICS_REGISTRY))));
  // Order matters: the caller is known before a byte of the body is read (issue #11: a 20 MB
  // parser and gzip inflation used to run before the auth guard).
  app.use(authenticationMiddleware(app.get(TokenVerifier), publicRoutesOf(app), DOCS_PREFIXES));
  app.use(refuseEncodedBodies());
  const json = (limit: string) => express.json({ limit, strict: true, inflate: false, type: ['application/json', 'application/*+json'] });
  // A route-specific parser runs first; the general one then sees the body as parsed and skips it.
  for (const [path, limit] of Object.entries(options.bodyLimits ?? {})) app.use(path, json(limit));
  app.use(json(options.bodyLimit ?? '256kb'));
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion(options.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, options.decorateOpenApi ? options.decorateOpenApi(document) : document, { jsonDocumentUrl: `${DOCS_PATH}-json`, yamlDocumentUrl: `${DOCS_PATH}-yaml` });
  return app;
}
