import type { Context } from 'hono';
import { MAX_USER_AGENT_LENGTH } from '../audit/audit-log';
import type { AppDeps, AppEnv } from '../api/env';
import { ACCESS_TOKEN_TTL_S, issueAccessToken } from './access-tokens';
import { setRefreshCookie } from './cookies';
import type { ClientInfo } from './refresh-tokens';

/** Reads the client address and User-Agent that a new refresh token records. */
export function clientInfo(c: Context<AppEnv>): ClientInfo {
  return { ip: c.var.clientIp, userAgent: c.req.header('user-agent')?.slice(0, MAX_USER_AGENT_LENGTH) ?? null };
}

/** Issues an access token, sets the refresh cookie and builds the body of a login or refresh response. */
export async function tokenResponse(c: Context<AppEnv>, deps: AppDeps, user: { id: string; email: string; name: string; permissions_version: number }, refreshToken: string) {
  const access = await issueAccessToken(deps.keys(), deps.tokens, { userId: user.id, permissionsVersion: user.permissions_version });
  setRefreshCookie(c, refreshToken, deps.cookieSecure);
  c.header('Cache-Control', 'no-store');
  return {
    accessToken: access.token,
    tokenType: 'Bearer' as const,
    expiresIn: ACCESS_TOKEN_TTL_S,
    refreshToken,
    user: { id: user.id, email: user.email, name: user.name },
  };
}
