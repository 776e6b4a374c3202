import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { normalizePairingCode } from '@simtestlab/sync';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { authenticateEdge } from '../edge-auth/authenticate-edge';
import { PairRateLimiter } from './pair-rate-limit';
import { consumePairingCode, recordEdgeContact } from './pairing-store';
import { edgeSelfSchema, edgeSoftwareVersionHeaders, pairBodySchema, pairResultSchema } from './schemas';

/** One message for every code that does not pair, so a caller cannot tell an unknown code from a spent one. */
export const INVALID_PAIRING_CODE = 'pairing code is invalid, already used or expired; ask an admin to issue a new code';

const pairRoute = createRoute({
  method: 'post',
  path: '/api/edge/pair',
  tags: ['edge'],
  summary: 'Pair an edge node with a one-time pairing code and register its public key (no login)',
  description:
    'Consumes the code, stores the ES256 public key and returns the site the edge belongs to. Attempts are limited to 20 per client IP in 15 minutes.',
  request: { body: { required: true, content: { 'application/json': { schema: pairBodySchema } } } },
  responses: {
    200: { description: 'The edge node and site the edge is now bound to', content: { 'application/json': { schema: pairResultSchema } } },
    ...errorResponses(400, 413, 429, 503),
  },
});

/** Registers the routes edges call: pairing, which needs no login, and those authenticated by an edge assertion. */
export function registerEdgePairingRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const rateLimiter = new PairRateLimiter(deps.redis, deps.redisPrefix);

  app.openapi(pairRoute, async (c) => {
    const ip = c.var.clientIp ?? 'unknown';
    let check;
    try {
      check = await rateLimiter.begin(ip);
    } catch (error) {
      c.var.logger.error({ err: error }, 'pairing rate limiter unavailable; rejecting the pair request');
      throw new HttpError(503, 'rate_limiter_unavailable', 'pairing is unavailable because Redis cannot be reached; try again shortly');
    }
    if (!check.allowed) {
      c.var.logger.warn({ ip }, 'pairing rate limit reached');
      throw new HttpError(429, 'too_many_attempts', `too many pairing attempts; try again in ${check.retryAfterS} s`, {
        headers: { 'Retry-After': String(check.retryAfterS) },
      });
    }

    const body = c.req.valid('json');
    const code = normalizePairingCode(body.code);
    const paired =
      code === null
        ? null
        : await consumePairingCode(deps.sql, code, body, {
            ip: c.var.clientIp,
            userAgent: c.req.header('user-agent') ?? null,
            requestId: c.var.requestId,
          });
    if (paired === null) {
      c.var.logger.info({ ip }, 'pairing rejected: invalid, used or expired code');
      throw new HttpError(400, 'invalid_pairing_code', INVALID_PAIRING_CODE);
    }
    c.var.logger.info({ edgeNodeId: paired.edgeNodeId, siteId: paired.siteId, hostname: body.hostname }, 'edge node paired');
    c.header('Cache-Control', 'no-store');
    return c.json(paired, 200);
  });

  const selfRoute = createRoute({
    method: 'get',
    path: '/api/edge/me',
    tags: ['edge'],
    summary: 'Read the calling edge node and its site, and record that it called (edge assertion)',
    description:
      'The bearer token is an ES256 edge assertion signed with the key registered at pairing, not a user access token. A revoked edge gets 401 with code `edge_revoked`.',
    security: bearerSecurity,
    middleware: [authenticateEdge(deps)] as const,
    request: { headers: edgeSoftwareVersionHeaders },
    responses: { 200: { description: 'The edge node and its site', content: { 'application/json': { schema: edgeSelfSchema } } }, ...errorResponses(400, 401) },
  });

  app.openapi(selfRoute, async (c) => {
    const { edge } = c.var;
    const softwareVersion = c.req.valid('header')['x-edge-software-version'] ?? null;
    const self = await recordEdgeContact(deps.sql, edge, softwareVersion);
    // The edge may be deleted between the assertion check and this update.
    if (self === null) throw new HttpError(401, 'invalid_edge_assertion', `edge node ${edge.edgeNodeId} no longer exists; pair it again with a new code`);
    return c.json(self, 200);
  });
}
