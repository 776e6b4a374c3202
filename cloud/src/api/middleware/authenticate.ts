import type { MiddlewareHandler } from 'hono';
import { Caller } from '../../access/caller';
import { InvalidTokenError, verifyAccessToken } from '../../auth/access-tokens';
import type { AppDeps, AppEnv } from '../env';
import { HttpError } from '../http-error';

/**
 * Longest Authorization header read. The access tokens this service issues are well under 1 KiB, so a
 * longer header is rejected before its JWT is decoded.
 */
const MAX_AUTHORIZATION_LENGTH = 4096;

/** Reads the bearer token from the Authorization header, or raises 401. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined) {
    throw new HttpError(401, 'unauthenticated', 'missing Authorization header: send "Authorization: Bearer <access token>"', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  if (header.length > MAX_AUTHORIZATION_LENGTH) {
    throw new HttpError(401, 'unauthenticated', `Authorization header is too long: at most ${MAX_AUTHORIZATION_LENGTH} characters are read`, {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
    });
  }
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(header);
  if (!match) {
    throw new HttpError(401, 'unauthenticated', 'malformed Authorization header: expected "Bearer <access token>"', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_request"' },
    });
  }
  return match[1]!;
}

/**
 * Verifies an access token and resolves its user's permissions into a Caller. A disabled or deleted user
 * fails even while the token has not expired, and so does a token issued before the user was last
 * disabled or had their password reset.
 */
export async function authenticateToken(deps: AppDeps, token: string): Promise<{ caller: Caller; expiresAtS: number }> {
  let claims;
  try {
    claims = await verifyAccessToken(token, deps.keys, deps.tokens);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    const code = error.reason === 'expired' ? 'token_expired' : 'invalid_token';
    throw new HttpError(401, code, error.reason === 'expired' ? 'access token expired: refresh it at POST /api/auth/refresh' : error.message, {
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
    });
  }
  const permissions = await deps.permissions.get(claims.userId, claims.permissionsVersion);
  if (!permissions || permissions.status !== 'active') {
    throw new HttpError(401, 'user_disabled', 'this account is disabled or no longer exists; ask an administrator', {
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
    });
  }
  if (claims.permissionsVersion < permissions.tokensValidFromVersion) {
    throw new HttpError(401, 'token_revoked', 'access token revoked: the account was disabled or its password was reset after it was issued; log in again', {
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
    });
  }
  return { caller: new Caller(permissions), expiresAtS: claims.expiresAtS };
}

/** Requires a valid access token on every request it guards and sets `caller`. */
export function authenticate(deps: AppDeps, isPublic: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS' || isPublic(c.req.path)) return next();
    const { caller, expiresAtS } = await authenticateToken(deps, bearerToken(c.req.header('authorization')));
    c.set('caller', caller);
    c.set('tokenExpiresAtS', expiresAtS);
    await next();
  };
}
