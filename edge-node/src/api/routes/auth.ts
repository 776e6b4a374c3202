import { createRoute, z } from '@hono/zod-openapi';
import { effectiveRoleSchema } from '@simtestlab/sync';
import type { Context } from 'hono';
import type { EdgeAuth } from '../../auth/edge-auth';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords';
import { bearerToken } from '../../auth/request-token';
import { clientAddress } from '../auth-guard';
import { errorResponse, errorResponses } from '../http-error';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';

const loginBody = z.strictObject({
  /** A local installer username or a hub user's email. */
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

/** The body of a successful login or refresh. */
const tokenResponseSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    user: z.object({ id: z.string(), source: z.enum(['local', 'cloud-user']), role: effectiveRoleSchema }),
  })
  .openapi('EdgeToken');

export const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Log in offline with a local installer account or a synced hub user',
  request: { body: { required: true, content: { 'application/json': { schema: loginBody } } } },
  responses: {
    200: { description: 'An edge access token, valid for 15 min', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(400, 401, 429),
  },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['auth'],
  summary: 'Exchange a valid edge token for a new one with a fresh expiry; hub tokens are refreshed at the hub',
  security: bearerSecurity,
  responses: {
    200: { description: 'A new edge access token for the same account, with its current role', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(401),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const authRouteDefinitions = [loginRoute, refreshRoute];

function tokenBody(token: string, expiresAtS: number, principal: { subject: string; source: string; role: string }) {
  return {
    accessToken: token,
    tokenType: 'Bearer',
    expiresAt: new Date(expiresAtS * 1000).toISOString(),
    user: { id: principal.subject, source: principal.source, role: principal.role },
  };
}

function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer realm="edge-node"');
  return errorResponse(c, 401, 'unauthorized', message);
}

/**
 * `POST /api/auth/login`: offline login with a local installer account or a synced hub user.
 * `POST /api/auth/refresh`: a new edge token for the caller's edge token. Both check the token
 * themselves, so they are mounted before the app's guards.
 */
export function authRoutes(auth: EdgeAuth) {
  const app = createRouter();

  mountRoute(app, loginRoute, async (c) => {
    const json: unknown = await c.req.json().catch(() => undefined);
    const parsed = loginBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const parameter = issue.path.map(String).join('.') || 'body';
      return errorResponse(c, 400, 'invalid_body', `${parameter}: ${issue.message}; expected {"username": "...", "password": "..."}`, parameter);
    }
    const result = await auth.login(parsed.data.username, parsed.data.password, clientAddress(c));
    if (!result.ok && result.reason === 'rate_limited') {
      c.header('Retry-After', String(result.retryAfterS));
      return errorResponse(c, 429, 'too_many_attempts', `too many login attempts; try again in ${result.retryAfterS} s`);
    }
    if (!result.ok) return errorResponse(c, 401, 'invalid_credentials', 'invalid username or password');
    return c.json(tokenBody(result.token, result.expiresAtS, result.principal));
  });

  mountRoute(app, refreshRoute, async (c) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined) return unauthorized(c, 'missing access token: send the edge token to refresh as "Authorization: Bearer <token>"');
    const result = await auth.refresh(token, clientAddress(c));
    if (!result.ok) return unauthorized(c, result.message);
    c.header('Cache-Control', 'no-store');
    return c.json(tokenBody(result.token, result.expiresAtS, result.principal));
  });

  return app;
}
