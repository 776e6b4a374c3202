import { createRoute, z } from '@hono/zod-openapi';
import { actionSchema, allowedActions, effectiveRoleSchema } from '@simtestlab/sync';
import { actorFromPrincipal, sitePolicy } from '../../access/site-actor';
import type { EdgeAuth } from '../../auth/edge-auth';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/passwords';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { clientAddress } from '../auth-guard';
import { errorResponse, errorResponses } from '../http-error';
import { bearerSecurity, createRouter } from '../openapi-router';

const meSchema = z
  .object({
    id: z.string(),
    source: z.enum(['local', 'cloud-user', 'hub-token']).openapi({
      description: '`local`: an installer account of this edge; `cloud-user`: a synced hub user who logged in on the edge; `hub-token`: a hub user calling with a hub token',
    }),
    name: z.string().openapi({ description: 'The local username, or the synced user name, else the email' }),
    role: effectiveRoleSchema,
    developer: z.boolean(),
    actions: z.array(actionSchema).openapi({ description: 'Actions of the permission matrix the caller may take at this site, under its policy' }),
    operatorControl: z.boolean().openapi({ description: 'Whether operators may control devices at this site' }),
  })
  .openapi('Me');

const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: z
    .string()
    .min(PASSWORD_MIN_LENGTH, { error: `the password must have at least ${PASSWORD_MIN_LENGTH} characters` })
    .max(PASSWORD_MAX_LENGTH, { error: `the password must have at most ${PASSWORD_MAX_LENGTH} characters` }),
});

export const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The caller: account, role and the actions it may take at this site',
  security: bearerSecurity,
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } },
    ...errorResponses(401, 403),
  },
});

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/me/password',
  tags: ['auth'],
  summary: "Change the caller's password; local installer accounts only, cloud users change theirs in the cloud",
  security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: passwordChangeBody } } } },
  responses: {
    204: { description: 'Password changed' },
    ...errorResponses(400, 401, 403, 409, 429),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const meRouteDefinitions = [meRoute, changePasswordRoute];

/**
 * `GET /api/me` and `POST /api/me/password`. The app mounts them behind a guard that requires
 * `dashboard.view`, so `principal` is always set.
 */
export function meRoutes(runtime: EdgeRuntime, auth: EdgeAuth) {
  const app = createRouter();

  app.openapi(meRoute, (c) => {
    const principal = c.get('principal');
    const actor = actorFromPrincipal(runtime.db, principal);
    const policy = sitePolicy(runtime.db, runtime.config.site.operatorControl);
    return c.json(
      {
        id: principal.subject,
        source: principal.source,
        name: actor.name,
        role: principal.role,
        developer: principal.developer,
        actions: allowedActions({ role: principal.role, developer: principal.developer }, policy),
        operatorControl: policy.operatorControl,
      },
      200,
    );
  });

  app.openapi(changePasswordRoute, async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const result = await auth.changePassword(c.get('principal'), currentPassword, newPassword, clientAddress(c));
    if (result.ok) return c.body(null, 204);
    switch (result.reason) {
      case 'not_local':
        return errorResponse(c, 409, 'managed_in_cloud', 'this is a cloud account: change its password in the cloud hub; the edge gets the new one at the next sync');
      case 'account_missing':
        return errorResponse(c, 401, 'unauthorized', 'the local account of this token was removed; log in with another account');
      case 'invalid_password':
        return errorResponse(c, 400, 'invalid_body', `newPassword: ${result.message}`, 'newPassword');
      case 'rate_limited':
        c.header('Retry-After', String(result.retryAfterS));
        return errorResponse(c, 429, 'too_many_attempts', `too many attempts with a wrong password; try again in ${result.retryAfterS} s`);
      case 'wrong_password':
        return errorResponse(c, 403, 'wrong_password', 'the current password is wrong; enter the password you log in with');
    }
  });

  return app;
}
