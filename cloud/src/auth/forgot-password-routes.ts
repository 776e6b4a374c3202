import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { runAuditedChange } from '../api/change';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { allOrganizations } from '../db/scope';
import { issuePasswordLink, PASSWORD_LINK_TTL_MS } from '../users/password-links';
import { allMembershipsOf, type OrganizationMembership } from '../users/user-access';
import { ResetRequestRateLimiter, type ResetRequestLimits } from './reset-request-rate-limit';
import { forgotPasswordBodySchema, forgotPasswordResponseSchema } from './schemas';

/** The body of every accepted request, whether or not the address belongs to an account. */
const ACCEPTED = {
  status: 'accepted' as const,
  message: 'if an active account uses this email address, a password reset link was issued; this hub sends no email, so ask your administrator for the link',
};

const forgotPasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/forgot-password',
  tags: ['auth'],
  summary: 'Request a password reset link for an email address; the response is the same whether or not an account uses it',
  description:
    'For an active user this issues a set-password link valid for ' +
    `${PASSWORD_LINK_TTL_MS.reset / 3_600_000} hours, as POST /api/users/{userId}/reset-password does, but keeps the current password and sessions ` +
    'until the link is used with POST /api/auth/set-password. The hub sends no email: the link is written to the audit log as ' +
    '`auth.password_reset_requested`, where platform admins read it, and so do the org admins of the user\'s home organization when they ' +
    'may reset the user\'s password themselves. Limited per client IP and per email address.',
  request: { body: { required: true, content: { 'application/json': { schema: forgotPasswordBodySchema } } } },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: forgotPasswordResponseSchema } } },
    ...errorResponses(400, 429, 503),
  },
});

interface ResetTarget {
  id: string;
  home_organization_id: string | null;
  platform_admin: boolean;
  developer: boolean;
}

/**
 * Picks the organization whose admins may read the reset link: the user's home organization, when its
 * org admins may reset the user's password anyway (the rule of `requireUserAuthority`), else none, so
 * only platform admins read it. The link lets its reader log in as the user, so an org admin must not
 * see the link of a user who also belongs to another organization, or who is platform admin or developer.
 */
export function resetLinkOrganization(user: ResetTarget, memberships: readonly OrganizationMembership[]): string | null {
  if (user.platform_admin || user.developer || user.home_organization_id === null) return null;
  const onlyHome = memberships.length > 0 && memberships.every((membership) => membership.organizationId === user.home_organization_id);
  return onlyHome ? user.home_organization_id : null;
}

/** Registers POST /api/auth/forgot-password; `limits` replaces the default rate limits. */
export function registerForgotPasswordRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps, limits?: ResetRequestLimits): void {
  const limiter = new ResetRequestRateLimiter(deps.redis, deps.redisPrefix, limits);

  app.openapi(forgotPasswordRoute, async (c) => {
    const email = c.req.valid('json').email.trim().toLowerCase();
    let check;
    try {
      check = await limiter.begin(email, c.var.clientIp ?? 'unknown');
    } catch (error) {
      c.var.logger.error({ err: error }, 'password reset rate limiter unavailable; rejecting the request');
      throw new HttpError(503, 'rate_limiter_unavailable', 'password reset is unavailable because Redis cannot be reached; try again shortly');
    }
    if (!check.allowed) {
      c.var.logger.warn({ ip: c.var.clientIp }, 'password reset rate limit reached');
      throw new HttpError(429, 'too_many_attempts', `too many password reset requests; try again in ${check.retryAfterS} s`, {
        headers: { 'Retry-After': String(check.retryAfterS) },
      });
    }

    // NOTE: an active account costs one more transaction than an unknown address, a few ms. The per-email
    // limit above keeps anyone from timing one address often enough to tell the two apart.
    const actor = { actorType: 'user' as const, actorId: null, ip: c.var.clientIp, userAgent: c.req.header('user-agent') ?? null, requestId: c.var.requestId };
    const issuedFor = await runAuditedChange(deps, actor, allOrganizations, async ({ tx, audit }) => {
      const [user] = await tx<ResetTarget[]>`
        SELECT id, home_organization_id, platform_admin, developer FROM users
        WHERE lower(email) = ${email} AND status = 'active' FOR UPDATE`;
      if (!user) return null;
      const link = await issuePasswordLink(tx, user.id, 'reset', deps.publicUrl);
      // TODO: send the link by email once the hub has mail delivery; until then admins pass it on from the audit log.
      await audit({
        action: 'auth.password_reset_requested',
        targetType: 'user',
        targetId: user.id,
        organizationId: resetLinkOrganization(user, await allMembershipsOf(tx, user.id)),
        after: { email, setPasswordUrl: link.setPasswordUrl, expiresAt: link.expiresAt, delivery: 'audit_log' },
      });
      return user.id;
    });
    if (issuedFor === null) c.var.logger.info({ ip: c.var.clientIp }, 'password reset requested for an address without an active account');
    else c.var.logger.info({ userId: issuedFor, ip: c.var.clientIp }, 'password reset link issued and written to the audit log');
    c.header('Cache-Control', 'no-store');
    return c.json(ACCEPTED, 202);
  });
}
