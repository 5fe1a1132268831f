import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE } from './auth.guard';

export type RouteMethod = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'options' | 'head' | 'all';

/** A route of the app, as Express matches it. */
export interface RouteRef {
  readonly method: RouteMethod;
  readonly path: string;
}

const METHODS: Readonly<Partial<Record<RequestMethod, RouteMethod>>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.OPTIONS]: 'options',
  [RequestMethod.HEAD]: 'head',
  [RequestMethod.ALL]: 'all',
};

const paths = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [typeof value === 'string' ? value : '/']);
const join = (prefix: string, path: string): string => `/${[prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;

/**
 * The routes marked @Public() (on the handler, or on the controller unless the handler says
 * otherwise, as the guard's Reflector reads them), from the controllers' decorator metadata.
 * The authentication middleware runs before Nest's router, so it needs them as paths. A route
 * this misses (a global prefix or versioning, which the platform does not use) demands a token:
 * the failure is closed, and loud in the route's tests.
 */
export function publicRoutesOf(app: INestApplication): RouteRef[] {
  const scanner = new MetadataScanner();
  const routes: RouteRef[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype;
      if (typeof controller !== 'function') continue;
      const controllerPublic: unknown = Reflect.getMetadata(PUBLIC_ROUTE, controller);
      const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler: unknown = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const routePaths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (routePaths === undefined) continue;
        const handlerPublic: unknown = Reflect.getMetadata(PUBLIC_ROUTE, handler);
        if ((handlerPublic ?? controllerPublic) !== true) continue;
        // A method Express has no shortcut for is matched for every method: public is then too wide, never too narrow.
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'all';
        for (const prefix of prefixes) for (const path of paths(routePaths)) routes.push({ method, path: join(prefix, path) });
      }
    }
  }
  return routes;
}
