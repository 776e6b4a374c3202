import { createApp } from '../api/app';
import type { AppDeps } from '../api/env';
import type { EdgeRequestClient } from '../live/edge-request-client';
import { createSilentLogger } from '../logger';
import { DOCUMENT_HEADER } from './routes';

/** Returns a dependency that throws if route registration tries to use it. */
function unavailable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      throw new Error(`${name}.${String(property)} was used while building the OpenAPI document; route registration must not touch ${name}`);
    },
  });
}

/**
 * Builds the hub's OpenAPI 3.1 document from the route definitions, without Postgres, Redis or keys.
 * The web app's typed client is generated from it (`pnpm -C ui api-types`).
 */
export function cloudOpenApiDocument(): Record<string, unknown> {
  const deps: AppDeps = {
    sql: unavailable('sql'),
    redis: unavailable('redis'),
    redisPrefix: '',
    keys: unavailable('keys'),
    tokens: { issuer: 'document', audience: 'document' },
    permissions: unavailable('permissions'),
    loginRateLimiter: unavailable('loginRateLimiter'),
    logger: createSilentLogger(),
    publicUrl: 'http://127.0.0.1',
    corsOrigins: [],
    trustProxy: false,
    cookieSecure: true,
    apiDocsAccess: 'developers',
  };
  const app = createApp({ ...deps, edgeRequests: unavailable<EdgeRequestClient>('edgeRequests') });
  return app.getOpenAPI31Document(DOCUMENT_HEADER) as unknown as Record<string, unknown>;
}
