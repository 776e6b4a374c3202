import { Hono } from 'hono';
import { z } from 'zod';
import type { EdgeAuth } from '../../auth/edge-auth';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords';
import { clientAddress } from '../auth-guard';
import { errorResponse } from '../http-error';

const loginBody = z.strictObject({
  /** A local installer username or a hub user's email. */
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

/** `POST /api/auth/login`: offline login with a local installer account or a synced hub user. */
export function authRoutes(auth: EdgeAuth) {
  const app = new Hono();

  app.post('/auth/login', async (c) => {
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
    const { principal } = result;
    return c.json({
      accessToken: result.token,
      tokenType: 'Bearer',
      expiresAt: new Date(result.expiresAtS * 1000).toISOString(),
      user: { id: principal.subject, source: principal.source, role: principal.role },
    });
  });

  return app;
}
