import { createHash, randomUUID } from 'node:crypto';
import { effectiveRoleSchema, type EffectiveRole } from '@simtestlab/sync';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { InvalidTokenError } from './invalid-token-error';

/** Lifetime of an edge access token, the same as the hub's. */
export const EDGE_TOKEN_TTL_S = 15 * 60;
export const EDGE_TOKEN_ALGORITHM = 'HS256';
/** Issuer and audience of edge tokens; they differ from the hub's, so neither kind passes as the other. */
export const EDGE_TOKEN_ISSUER = 'simtestlab-ems-edge';
export const EDGE_TOKEN_AUDIENCE = 'simtestlab-ems-edge';
const TOKEN_TYPE = 'at+jwt';
/**
 * Maximum session length from login, however often its token is refreshed: a shift plus a margin.
 * After it the user logs in again, so a copied token cannot be kept alive by refreshing it.
 */
export const EDGE_SESSION_MAX_S = 12 * 3600;
/** Clock difference tolerated, as on the hub; edge tokens are issued and verified by one clock, so it only covers clock steps. */
const CLOCK_TOLERANCE_S = 30;

/** Store that contains the account behind an edge token. */
export type AccountSource = 'local' | 'cloud-user';

/** Claims of a verified edge token. */
export interface EdgeTokenClaims {
  subject: string;
  role: EffectiveRole;
  source: AccountSource;
  tokenId: string;
  expiresAtS: number;
  /** When the session's login happened, epoch seconds; refreshed tokens keep it. */
  authTimeS: number;
  /** Fingerprint of the password hash at login; null in tokens of accounts without one. */
  passwordVersion: string | null;
}

/**
 * Computes a short fingerprint of an account's password hash. A refresh compares it with the current
 * hash, so a password change ends the sessions that began before it.
 */
export function passwordVersion(passwordHash: string | null): string | null {
  return passwordHash === null ? null : createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);
}

/** Signs an HS256 edge access token for a logged-in account. */
export async function issueEdgeToken(
  key: Uint8Array,
  subject: { id: string; role: EffectiveRole; source: AccountSource; passwordHash?: string | null },
  nowS = Math.floor(Date.now() / 1000),
  authTimeS = nowS,
): Promise<{ token: string; expiresAtS: number }> {
  const expiresAtS = nowS + EDGE_TOKEN_TTL_S;
  const token = await new SignJWT({ role: subject.role, source: subject.source, auth_time: authTimeS, pwv: passwordVersion(subject.passwordHash ?? null) })
    .setProtectedHeader({ alg: EDGE_TOKEN_ALGORITHM, typ: TOKEN_TYPE })
    .setIssuer(EDGE_TOKEN_ISSUER)
    .setAudience(EDGE_TOKEN_AUDIENCE)
    .setSubject(subject.id)
    .setIssuedAt(nowS)
    .setNotBefore(nowS)
    .setExpirationTime(expiresAtS)
    .setJti(randomUUID())
    .sign(key);
  return { token, expiresAtS };
}

/**
 * Verifies an edge token. jose would accept tokens without `typ` or `exp`, so the algorithm, `typ`,
 * issuer, audience, every claim and the maximum age are pinned here.
 */
export async function verifyEdgeToken(token: string, key: Uint8Array, currentDate?: Date): Promise<EdgeTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [EDGE_TOKEN_ALGORITHM],
      issuer: EDGE_TOKEN_ISSUER,
      audience: EDGE_TOKEN_AUDIENCE,
      typ: TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf', 'jti', 'role', 'source'],
      maxTokenAge: EDGE_TOKEN_TTL_S + CLOCK_TOLERANCE_S,
      clockTolerance: CLOCK_TOLERANCE_S,
      ...(currentDate ? { currentDate } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired', 'access token expired; log in again', { cause: error });
    throw new InvalidTokenError('invalid', `access token rejected: ${(error as Error).message}`, { cause: error });
  }
  const role = effectiveRoleSchema.safeParse(payload.role);
  if (!role.success) throw new InvalidTokenError('invalid', 'access token rejected: claim "role" is not a known role');
  if (payload.source !== 'local' && payload.source !== 'cloud-user') {
    throw new InvalidTokenError('invalid', 'access token rejected: claim "source" must be "local" or "cloud-user"');
  }
  const authTimeS = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat!;
  const passwordVersionClaim = typeof payload.pwv === 'string' ? payload.pwv : null;
  return { subject: payload.sub!, role: role.data, source: payload.source, tokenId: payload.jti!, expiresAtS: payload.exp!, authTimeS, passwordVersion: passwordVersionClaim };
}
