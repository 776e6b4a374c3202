import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { runChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { issueRefreshToken } from '../auth/refresh-tokens';
import { tokenResponseSchema } from '../auth/schemas';
import { clientInfo, tokenResponse } from '../auth/token-response';
import { allOrganizations } from '../db/scope';
import { voidPasswordLinks } from '../users/password-links';
import { allMembershipsOf, auditOrganizationOf } from '../users/user-access';
import { endUserSessions } from '../users/user-sessions';
import { changePasswordBodySchema } from './schemas';

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/me/password',
  tags: ['profile'],
  summary: "Change the caller's own password; every other session ends and the response carries new tokens for this one",
  description:
    'The new password follows the rules of POST /api/auth/set-password. A wrong current password is 403 and counts as a failed login ' +
    'for the login rate limit, so this route cannot be used to guess passwords faster than POST /api/auth/login. On success every ' +
    "refresh token and access token of the user is revoked, unused set-password links are voided, and the response returns a new " +
    'access token and refresh token (also set as the refresh cookie), so the session that changed the password continues. ' +
    'Edges receive the new password hash through their synced users.',
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: changePasswordBodySchema } } } },
  responses: {
    200: { description: 'New tokens for the current session', content: { 'application/json': { schema: tokenResponseSchema } } },
    ...errorResponses(400, 401, 403, 429, 503),
  },
});

/** Registers POST /api/me/password. */
export function registerPasswordChangeRoute(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(changePasswordRoute, async (c) => {
    const { caller } = c.var;
    const { currentPassword, newPassword } = c.req.valid('json');
    const email = caller.permissions.email.toLowerCase();
    const rateLimitIp = c.var.clientIp ?? 'unknown';
    let check;
    try {
      check = await deps.loginRateLimiter.begin(email, rateLimitIp);
    } catch (error) {
      c.var.logger.error({ err: error }, 'login rate limiter unavailable; rejecting the password change');
      throw new HttpError(503, 'rate_limiter_unavailable', 'the password cannot be changed because Redis cannot be reached; try again shortly');
    }
    if (!check.allowed) {
      c.var.logger.warn({ userId: caller.userId, limitedBy: check.limitedBy, ip: c.var.clientIp }, 'login rate limit reached on a password change');
      throw new HttpError(429, 'too_many_attempts', `too many password attempts; try again in ${check.retryAfterS} s`, {
        headers: { 'Retry-After': String(check.retryAfterS) },
      });
    }

    const [stored] = await deps.sql<{ password_hash: string | null }[]>`SELECT password_hash FROM users WHERE id = ${caller.userId}`;
    if (!(await verifyPassword(stored?.password_hash ?? null, currentPassword))) {
      c.var.logger.info({ userId: caller.userId, ip: c.var.clientIp }, 'password change rejected: wrong current password');
      throw new HttpError(403, 'invalid_current_password', 'the current password is incorrect; enter the password you log in with, or use "forgot password" to get a reset link', {
        parameter: 'currentPassword',
      });
    }
    await deps.loginRateLimiter.recordSuccess(email, rateLimitIp);
    if (newPassword === currentPassword) {
      throw new HttpError(400, 'password_unchanged', 'the new password is the same as the current one; choose a different password', { parameter: 'newPassword' });
    }

    const passwordHash = await hashPassword(newPassword);
    // Scoped to all organizations because the audit entry's organization comes from every membership.
    const user = await runChange(
      deps,
      c,
      async ({ tx, audit, permissionsChanged }) => {
        await tx`UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${caller.userId}`;
        await endUserSessions({ tx, permissionsChanged }, caller.userId);
        await voidPasswordLinks(tx, caller.userId);
        await audit({
          action: 'user.password_change',
          targetType: 'user',
          targetId: caller.userId,
          organizationId: auditOrganizationOf(caller, await allMembershipsOf(tx, caller.userId)),
        });
        const [row] = await tx<{ id: string; email: string; name: string; permissions_version: number }[]>`
          SELECT id, email, name, permissions_version FROM users WHERE id = ${caller.userId}`;
        return row!;
      },
      allOrganizations,
    );
    // The access token names no login, and browsers send the refresh cookie to /api/auth only, so this
    // route cannot find the current refresh token. Every session ends, and this one gets new tokens.
    const refreshToken = await issueRefreshToken(deps.sql, caller.userId, clientInfo(c));
    c.var.logger.info({ userId: caller.userId }, 'user changed their own password; other sessions ended');
    return c.json(await tokenResponse(c, deps, user, refreshToken), 200);
  });
}
