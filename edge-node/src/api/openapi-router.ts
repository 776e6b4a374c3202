import { OpenAPIHono, type Hook, type RouteConfig } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AuthVariables } from './auth-guard';
import { validationErrorResponse } from './http-error';

/** Hono environment of every edge router: the guard stores the caller as `principal`. */
export interface ApiEnv {
  Variables: AuthVariables;
}

/** An edge router whose `openapi` routes validate their input with the edge's error body. */
export type EdgeRouter = OpenAPIHono<ApiEnv>;

/** Security requirement of every route that needs an access token. */
export const bearerSecurity = [{ bearerAuth: [] }];

/**
 * Returns the same 400 body as `parseQuery` for a failed validation of an `openapi` route. The code is
 * `invalid_body` for the JSON body and `invalid_parameter` for the other targets.
 */
const validationHook: Hook<unknown, ApiEnv, string, unknown> = (result, c) => {
  if (result.success) return undefined;
  return result.target === 'json'
    ? validationErrorResponse(c, 'invalid_body', result.error, 'body')
    : validationErrorResponse(c, 'invalid_parameter', result.error, result.target);
};

export function createRouter(): EdgeRouter {
  return new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
}

/**
 * Mounts `handler` at the method and path of a route definition without the validators `openapi`
 * would add. The routes that use it parse their query and body themselves, because their checks run in
 * a fixed order (404 for an unknown device before a bad query) and their messages name the expected
 * body. The definition still documents the request in `edgeOpenApiDocument`.
 */
export function mountRoute(app: EdgeRouter, route: RouteConfig, handler: Handler<ApiEnv>): void {
  app.on(route.method.toUpperCase(), route.path.replaceAll(/\{([^}]+)\}/g, ':$1'), handler);
}
