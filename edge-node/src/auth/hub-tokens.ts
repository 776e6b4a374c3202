import { errors, importJWK, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { SqliteDatabase } from '../store/database';
import { InvalidTokenError } from './invalid-token-error';

/** Issuer and audience the hub puts in its access tokens unless its JWT_ISSUER and JWT_AUDIENCE set other values. */
export const DEFAULT_HUB_TOKEN_SETTINGS: HubTokenSettings = { issuer: 'simtestlab-ems-cloud', audience: 'simtestlab-ems' };

/** Pinned the same way as on the hub: ES256, `typ` at+jwt, a 15 min lifetime and 30 s of clock tolerance. */
const HUB_ALGORITHM = 'ES256';
const HUB_TOKEN_TYPE = 'at+jwt';
const HUB_TOKEN_TTL_S = 15 * 60;
const CLOCK_TOLERANCE_S = 30;

export interface HubTokenSettings {
  issuer: string;
  audience: string;
}

/** Claims of a verified hub access token. */
export interface HubTokenClaims {
  userId: string;
  tokenId: string;
  expiresAtS: number;
}

/** Picks the verification key from the synced `cloud_jwks` rows by `kid`; no kid, or an unknown one, fails. */
function syncedKeyResolver(db: SqliteDatabase): JWTVerifyGetKey {
  return async (header) => {
    if (header.kid === undefined) throw new InvalidTokenError('invalid', 'access token rejected: header parameter "kid" is missing');
    const row = db.prepare<[string], { jwk: string }>('SELECT jwk FROM cloud_jwks WHERE kid = ?').get(header.kid);
    if (!row) {
      throw new InvalidTokenError('invalid', `access token rejected: signing key id ${JSON.stringify(header.kid)} is unknown to this edge; log in again or wait for the hub sync`);
    }
    const { d: _private, ...publicJwk } = JSON.parse(row.jwk) as JWK;
    return importJWK(publicJwk, HUB_ALGORITHM);
  };
}

/**
 * Verifies a hub access token offline with the keys synced from the hub. The hub's permissions
 * version (`pv`) is required but cannot be compared here, so role changes reach the edge through the
 * synced `cloud_site_users` rows instead.
 */
export async function verifyHubToken(
  token: string,
  db: SqliteDatabase,
  settings: HubTokenSettings = DEFAULT_HUB_TOKEN_SETTINGS,
  currentDate?: Date,
): Promise<HubTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, syncedKeyResolver(db), {
      algorithms: [HUB_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: HUB_TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf', 'jti', 'pv'],
      maxTokenAge: HUB_TOKEN_TTL_S + CLOCK_TOLERANCE_S,
      clockTolerance: CLOCK_TOLERANCE_S,
      ...(currentDate ? { currentDate } : {}),
    }));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired', 'access token expired; log in again', { cause: error });
    throw new InvalidTokenError('invalid', `access token rejected: ${(error as Error).message}`, { cause: error });
  }
  return { userId: payload.sub!, tokenId: payload.jti!, expiresAtS: payload.exp! };
}
