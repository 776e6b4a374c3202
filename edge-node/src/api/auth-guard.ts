import { isAllowed, type Action } from '@simtestlab/sync';
import type { Context, MiddlewareHandler } from 'hono';
import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../auth/request-token';
import { InvalidTokenError } from '../auth/invalid-token-error';
import type { AuthPrincipal, EdgeAuth } from '../auth/edge-auth';
import { actorFromPrincipal, type SiteActor } from '../access/site-actor';
import type { SqliteDatabase } from '../store/database';
import { errorResponse } from './http-error';
import { isLoopbackAddress } from './loopback';

/** Hono variables set by the guard. */
export interface AuthVariables {
  principal: AuthPrincipal;
}

/** Address of the TCP peer, or `unknown` for requests that did not arrive over a socket (`app.request` in tests). */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming?.socket.remoteAddress ?? 'unknown';
}

function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer realm="edge-node"');
  return errorResponse(c, 401, 'unauthorized', message);
}

/**
 * Requires a valid edge or hub token that the permission matrix allows `action`, and stores the caller
 * as `principal`. Returns 401 without a valid token and 403 when the role is too low.
 */
export function requireAction(auth: EdgeAuth, action: Action): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined) return unauthorized(c, 'missing access token: log in with POST /api/auth/login and send "Authorization: Bearer <token>"');
    let principal: AuthPrincipal;
    try {
      principal = await auth.authenticate(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return unauthorized(c, error.message);
      throw error;
    }
    if (!isAllowed({ role: principal.role, developer: principal.developer }, action)) {
      return errorResponse(c, 403, 'forbidden', `the role ${principal.role} may not take the action ${action}`);
    }
    c.set('principal', principal);
    await next();
  };
}

/** Like `requireAction`, but loopback clients pass without a token; for the Prometheus scrape endpoint. */
export function requireActionUnlessLoopback(auth: EdgeAuth, action: Action): MiddlewareHandler<{ Variables: AuthVariables }> {
  const guard = requireAction(auth, action);
  return async (c, next) => (isLoopbackAddress(clientAddress(c)) ? next() : guard(c, next));
}

/**
 * Builds the actor behind a request for the services that check rights themselves (alarm actions,
 * control). With authentication off, which `startHttpServer` allows on loopback only, the caller is an
 * anonymous local client with every right, as on the other routes.
 */
export function requestActor(db: SqliteDatabase, c: Context<{ Variables: AuthVariables }>): SiteActor {
  const principal = c.get('principal') as AuthPrincipal | undefined;
  if (principal) return actorFromPrincipal(db, principal);
  return { id: 'loopback', name: 'loopback client (authentication off)', role: 'platform_admin', developer: false, origin: 'edge' };
}
