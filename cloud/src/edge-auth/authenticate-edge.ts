import { EDGE_ASSERTION_AUDIENCE, EDGE_ASSERTION_MAX_LIFETIME_S, EDGE_ASSERTION_TYPE, EDGE_REVOKED_CODE, edgePublicKeySchema } from '@simtestlab/sync';
import type { MiddlewareHandler } from 'hono';
import { decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey } from 'jose';
import { isUuid } from '../access/guards';
import { CLOCK_TOLERANCE_S } from '../auth/access-tokens';
import { allOrganizations, inTenantScope } from '../db/scope';
import type { AppDeps } from '../api/env';
import { HttpError } from '../api/http-error';
import { bearerToken } from '../api/middleware/authenticate';

/** The paired edge node a request comes from. */
export interface EdgeIdentity {
  edgeNodeId: string;
  organizationId: string;
  siteId: string;
}

/** Hono variables of routes that edges call. */
export interface EdgeEnv {
  Variables: {
    requestId: string;
    logger: AppDeps['logger'];
    clientIp: string | null;
    edge: EdgeIdentity;
  };
}

function rejected(message: string, code = 'invalid_edge_assertion'): HttpError {
  return new HttpError(401, code, message, { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
}

/**
 * Verifies an edge assertion. It must be ES256 with `typ` edge+jwt, signed by the key the edge registered
 * when it paired (looked up by `kid`, the edge node id). Its `iss` and `sub` must equal that id, its
 * audience must be the hub's, and its lifetime at most five minutes. A revoked edge gets 401 with code
 * `edge_revoked`.
 */
export async function verifyEdgeAssertion(deps: Pick<AppDeps, 'sql'>, token: string, now = new Date()): Promise<EdgeIdentity> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw rejected('edge assertion is not a JWT');
  }
  if (kid === undefined || !isUuid(kid)) throw rejected('edge assertion has no edge node id in "kid"');

  const [edge] = await inTenantScope(deps.sql, allOrganizations, (tx) => tx<
    { id: string; organization_id: string; site_id: string; public_jwk: unknown; revoked_at: Date | null }[]
  >`SELECT id, organization_id, site_id, public_jwk, revoked_at FROM edge_nodes WHERE id = ${kid}`);
  if (!edge || edge.public_jwk === null) throw rejected(`edge node ${kid} is not paired`);

  const publicJwk = edgePublicKeySchema.parse(edge.public_jwk);
  const key = (await importJWK({ ...publicJwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      typ: EDGE_ASSERTION_TYPE,
      audience: EDGE_ASSERTION_AUDIENCE,
      issuer: kid,
      subject: kid,
      requiredClaims: ['iat', 'exp', 'jti'],
      maxTokenAge: EDGE_ASSERTION_MAX_LIFETIME_S,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: now,
    });
    if (payload.exp! - payload.iat! > EDGE_ASSERTION_MAX_LIFETIME_S) {
      throw rejected(`edge assertion lifetime exceeds ${EDGE_ASSERTION_MAX_LIFETIME_S} s`);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw rejected(`edge assertion rejected: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Checked after the signature, so only the key holder learns whether and when the edge was revoked.
  if (edge.revoked_at !== null) {
    throw rejected(`edge node ${kid} was revoked at ${edge.revoked_at.toISOString()}; pair it again with a new code`, EDGE_REVOKED_CODE);
  }
  return { edgeNodeId: edge.id, organizationId: edge.organization_id, siteId: edge.site_id };
}

/** Requires a valid edge assertion on every request it guards and sets `edge`. */
export function authenticateEdge(deps: Pick<AppDeps, 'sql'>): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    c.set('edge', await verifyEdgeAssertion(deps, bearerToken(c.req.header('authorization'))));
    await next();
  };
}
