import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allOrganizations } from '../db/scope';
import { endUserSessions } from '../users/user-sessions';
import { runAuditedChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { clearRefreshCookie, readRefreshCookie } from './cookies';
import { hashOpaqueToken } from './opaque-token';
import { hashPassword, verifyPassword } from './passwords';
import { issueRefreshToken, REFRESH_REUSE_GRACE_MS, revokeRefreshToken, rotateRefreshToken } from './refresh-tokens';
import { loginBodySchema, refreshBodySchema, setPasswordBodySchema, tokenResponseSchema, validatedTokenSchema } from './schemas';
import { clientInfo, tokenResponse } from './token-response';
import { describeCaller } from './validate-token';

const INVALID_CREDENTIALS = 'email or password is incorrect';

/**
 * Browsers send the refresh cookie on their own, so a request that relies on it must come from one of
 * the configured origins; SameSite=Strict already stops other sites, this also stops sibling subdomains.
 */
function requireAllowedOrigin(c: Context<AppEnv>, deps: AppDeps): void {
  const origin = c.req.header('origin');
  if (origin === undefined || !(deps.corsOrigins.includes(origin) || origin === deps.publicUrl)) {
    throw new HttpError(403, 'origin_not_allowed', `requests that use the refresh cookie must come from an allowed origin; got ${JSON.stringify(origin ?? null)}`);
  }
}

/** Takes the refresh token from the body, or else from the cookie after the Origin check. */
function refreshTokenOf(c: Context<AppEnv>, deps: AppDeps, body: { refreshToken?: string | undefined }): string | undefined {
  if (body.refreshToken !== undefined) return body.refreshToken;
  const cookie = readRefreshCookie(c);
  if (cookie !== undefined) requireAllowedOrigin(c, deps);
  return cookie;
}

type UserRow = { id: string; email: string; name: string; password_hash: string | null; status: string; permissions_version: number };

const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Log in with email and password',
  request: { body: { required: true, content: { 'application/json': { schema: loginBodySchema } } } },
  responses: {
    200: { description: 'Access and refresh tokens', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(400, 401, 429, 503),
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token for new tokens; the old refresh token is spent',
  description:
    `A token spent less than ${REFRESH_REUSE_GRACE_MS / 1000} s ago can be exchanged again, because browser tabs that share the cookie may refresh at once. ` +
    'Presenting a spent token later revokes every token of that login.',
  request: { body: { required: false, content: { 'application/json': { schema: refreshBodySchema } } } },
  responses: {
    200: { description: 'New access and refresh tokens', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'Revoke the refresh token and every token rotated from the same login',
  request: { body: { required: false, content: { 'application/json': { schema: refreshBodySchema } } } },
  responses: { 204: { description: 'Logged out' }, ...errorResponses(400, 403) },
});

const setPasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/set-password',
  tags: ['auth'],
  summary: 'Set a password with the token of an invitation or reset link',
  request: { body: { required: true, content: { 'application/json': { schema: setPasswordBodySchema } } } },
  responses: { 204: { description: 'Password set; existing sessions are revoked' }, ...errorResponses(400) },
});

const validateTokenRoute = createRoute({
  method: 'get',
  path: '/api/validate-token',
  tags: ['auth'],
  summary: 'Validate an access token and return its user, roles and accessible sites',
  security: bearerSecurity,
  responses: {
    200: { description: 'The token is valid', content: { 'application/json': { schema: validatedTokenSchema } } },
    ...errorResponses(401),
  },
});

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['auth'],
  summary: 'Public keys that verify access tokens, including the previous key until its tokens expire',
  responses: {
    200: {
      description: 'JSON Web Key Set',
      content: { 'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('JWKS') } },
    },
  },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const normalizedEmail = email.trim().toLowerCase();
    const rateLimitIp = c.var.clientIp ?? 'unknown';
    let check;
    try {
      check = await deps.loginRateLimiter.begin(normalizedEmail, rateLimitIp);
    } catch (error) {
      c.var.logger.error({ err: error }, 'login rate limiter unavailable; rejecting the login');
      throw new HttpError(503, 'rate_limiter_unavailable', 'login is unavailable because Redis cannot be reached; try again shortly');
    }
    if (!check.allowed) {
      c.var.logger.warn({ limitedBy: check.limitedBy, ip: c.var.clientIp }, 'login rate limit reached');
      throw new HttpError(429, 'too_many_attempts', `too many login attempts; try again in ${check.retryAfterS} s`, {
        headers: { 'Retry-After': String(check.retryAfterS) },
      });
    }

    const [user] = await deps.sql<UserRow[]>`
      SELECT id, email, name, password_hash, status, permissions_version FROM users WHERE lower(email) = ${normalizedEmail}`;
    const passwordMatches = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !passwordMatches || user.status !== 'active') {
      c.var.logger.info({ userId: user?.id, ip: c.var.clientIp }, 'login failed');
      throw new HttpError(401, 'invalid_credentials', INVALID_CREDENTIALS);
    }
    await deps.loginRateLimiter.recordSuccess(normalizedEmail, rateLimitIp);
    const refreshToken = await issueRefreshToken(deps.sql, user.id, clientInfo(c));
    c.var.logger.info({ userId: user.id }, 'login succeeded');
    return c.json(await tokenResponse(c, deps, user, refreshToken), 200);
  });

  app.openapi(refreshRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
    const token = refreshTokenOf(c, deps, body);
    if (token === undefined) throw new HttpError(401, 'invalid_refresh_token', 'no refresh token: send it in the body or the ems_refresh cookie');
    const result = await rotateRefreshToken(deps.sql, token, clientInfo(c));
    if (result.outcome !== 'rotated') {
      clearRefreshCookie(c, deps.cookieSecure);
      if (result.outcome === 'reused') c.var.logger.warn({ ip: c.var.clientIp }, 'spent refresh token presented again; its family is revoked');
      const message =
        result.outcome === 'reused'
          ? 'refresh token was already used; every session from that login is revoked, log in again'
          : `refresh token is ${result.outcome === 'expired' ? 'expired' : 'not valid'}; log in again`;
      throw new HttpError(401, 'invalid_refresh_token', message);
    }
    if (result.withinGrace) c.var.logger.info({ userId: result.userId, ip: c.var.clientIp }, 'spent refresh token presented again within the reuse grace window; issued another successor');
    const [user] = await deps.sql<UserRow[]>`
      SELECT id, email, name, password_hash, status, permissions_version FROM users WHERE id = ${result.userId}`;
    if (!user || user.status !== 'active') {
      await revokeRefreshToken(deps.sql, result.token);
      clearRefreshCookie(c, deps.cookieSecure);
      throw new HttpError(401, 'user_disabled', 'this account is disabled or no longer exists; ask an administrator');
    }
    return c.json(await tokenResponse(c, deps, user, result.token), 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
    const token = refreshTokenOf(c, deps, body);
    if (token !== undefined) await revokeRefreshToken(deps.sql, token);
    clearRefreshCookie(c, deps.cookieSecure);
    return c.body(null, 204);
  });

  app.openapi(setPasswordRoute, async (c) => {
    const { token, password } = c.req.valid('json');
    const invalid = new HttpError(400, 'invalid_password_token', 'this set-password link is invalid, used or expired; ask an administrator for a new one');
    const [pending] = await deps.sql<{ id: string; user_id: string; purpose: string }[]>`
      SELECT id, user_id, purpose FROM password_tokens
      WHERE token_hash = ${hashOpaqueToken(token)} AND used_at IS NULL AND expires_at > now()`;
    if (!pending) throw invalid;
    const passwordHash = await hashPassword(password);
    const actor = { actorType: 'user' as const, actorId: pending.user_id, ip: c.var.clientIp, userAgent: c.req.header('user-agent') ?? null, requestId: c.var.requestId };
    await runAuditedChange(deps, actor, allOrganizations, async ({ tx, audit, permissionsChanged }) => {
      const spent = await tx`UPDATE password_tokens SET used_at = now() WHERE id = ${pending.id} AND used_at IS NULL RETURNING id`;
      if (spent.length === 0) throw invalid;
      await tx`UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${pending.user_id}`;
      await endUserSessions({ tx, permissionsChanged }, pending.user_id);
      await audit({ action: 'user.password_set', targetType: 'user', targetId: pending.user_id, organizationId: null, after: { purpose: pending.purpose } });
    });
    return c.body(null, 204);
  });

  app.openapi(validateTokenRoute, async (c) => {
    const expiresAtS = c.var.tokenExpiresAtS;
    return c.json({ ...(await describeCaller(deps.sql, c.var.caller)), tokenExpiresAt: expiresAtS }, 200);
  });

  app.openapi(jwksRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ keys: deps.keys().verifying.map((key) => ({ ...key.publicJwk })) }, 200);
  });
}
