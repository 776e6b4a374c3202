import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

/** Largest X-Request-Id accepted from a client; longer or odd ones are replaced. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Sets the request id (the client's X-Request-Id when it is sane, else a new UUID), the client IP and a
 * request-scoped logger, and logs each request once its response is sent.
 */
export function requestContext(options: { trustProxy: boolean; logger: AppEnv['Variables']['logger'] }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered !== undefined && REQUEST_ID_PATTERN.test(offered) ? offered : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('clientIp', clientIp(c, options.trustProxy));
    const logger = options.logger.child({ requestId });
    c.set('logger', logger);
    c.header('X-Request-Id', requestId);
    const startedAt = performance.now();
    await next();
    logger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, durationMs: Math.round((performance.now() - startedAt) * 10) / 10, userId: c.var.caller?.userId },
      'request',
    );
  };
}

/**
 * Returns the client address. Behind a trusted proxy it is the last X-Forwarded-For entry, the one that
 * proxy appended. Entries before it come from the client and can be anything, so trusting the first would
 * let a client pick its own address and escape the per-IP login limit. A last entry that is not an IP
 * address is ignored.
 * NOTE: this assumes exactly one proxy in front of the service. Behind two, every client gets the
 * address of the outer proxy.
 */
function clientIp(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded !== undefined && isIP(forwarded) !== 0) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket behind it.
    return null;
  }
}
