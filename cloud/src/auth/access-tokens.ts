import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isUuid } from '../access/guards';
import type { KeySet } from './signing-keys';
import { SIGNING_ALGORITHM } from './signing-keys';

/** Lifetime of an access token. */
export const ACCESS_TOKEN_TTL_S = 15 * 60;

/** Media type of access tokens (RFC 9068), checked on verification so no other JWT passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Clock difference tolerated between the cloud and the machines that verify its tokens. */
export const CLOCK_TOLERANCE_S = 30;

export interface TokenSettings {
  issuer: string;
  audience: string;
}

/** Claims of a verified access token. Roles are not among them because they are looked up per request. */
export interface AccessClaims {
  userId: string;
  tokenId: string;
  /** The user's permissions version when the token was issued. */
  permissionsVersion: number;
  expiresAtS: number;
}

/** Raised for any token that fails verification; `reason` is safe to return to the caller. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Signs an ES256 access token for `userId` with the current key. */
export async function issueAccessToken(
  keys: KeySet,
  settings: TokenSettings,
  subject: { userId: string; permissionsVersion: number },
  nowS = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAtS: number }> {
  const expiresAtS = nowS + ACCESS_TOKEN_TTL_S;
  const token = await new SignJWT({ pv: subject.permissionsVersion })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: keys.current.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(subject.userId)
    .setIssuedAt(nowS)
    .setNotBefore(nowS)
    .setExpirationTime(expiresAtS)
    .setJti(randomUUID())
    .sign(keys.current.privateKey);
  return { token, expiresAtS };
}

/** Picks the verification key by `kid`; a token without one, or with an unknown one, fails. */
function keyResolver(keys: () => KeySet): JWTVerifyGetKey {
  return (header) => {
    if (header.kid === undefined) throw new InvalidTokenError('invalid', 'access token rejected: header parameter "kid" is missing');
    const key = keys().verifying.find((candidate) => candidate.kid === header.kid);
    if (!key) {
      throw new InvalidTokenError('invalid', `access token rejected: signing key id ${JSON.stringify(header.kid)} is unknown or retired; log in again`);
    }
    return key.publicKey;
  };
}

/**
 * Verifies an access token. jose would accept any algorithm the key supports, no `typ`, and tokens
 * without `exp`, so every one of those is pinned here: ES256 only, `typ` at+jwt, issuer, audience, and
 * the claims sub, exp, iat, nbf, jti and pv all present.
 */
export async function verifyAccessToken(
  token: string,
  keys: () => KeySet,
  settings: TokenSettings,
  currentDate?: Date,
): Promise<AccessClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyResolver(keys), {
      algorithms: [SIGNING_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf', 'jti', 'pv'],
      maxTokenAge: ACCESS_TOKEN_TTL_S + CLOCK_TOLERANCE_S,
      clockTolerance: CLOCK_TOLERANCE_S,
      ...(currentDate ? { currentDate } : {}),
    }));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('expired', 'access token expired', { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidTokenError('invalid', `access token rejected: ${detail}`, { cause: error });
  }
  // The subject is looked up as a uuid column, where any other string is a query error (a 500), not a 401.
  if (!isUuid(payload.sub!)) throw new InvalidTokenError('invalid', 'access token rejected: claim "sub" must be a user id (UUID)');
  const pv = payload.pv;
  if (typeof pv !== 'number' || !Number.isInteger(pv) || pv < 1) {
    throw new InvalidTokenError('invalid', 'access token rejected: claim "pv" must be a positive integer');
  }
  return { userId: payload.sub!, tokenId: payload.jti!, permissionsVersion: pv, expiresAtS: payload.exp! };
}
