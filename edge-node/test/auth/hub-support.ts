import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { EffectiveRole } from '@simtestlab/sync';
import { hashPassword } from '../../src/auth/passwords';
import type { SqliteDatabase } from '../../src/store/database';

/** An ES256 key pair like the hub's, with its public JWK stored in `cloud_jwks` as the sync would. */
export interface HubKey {
  kid: string;
  privateKey: CryptoKey;
}

export async function addHubKey(db: SqliteDatabase, kid = randomUUID()): Promise<HubKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  db.prepare('INSERT INTO cloud_jwks (kid, jwk) VALUES (?, ?)').run(kid, JSON.stringify(jwk));
  return { kid, privateKey };
}

/** Inserts a synced site user; with a password, its hash is a real argon2id hash. */
export async function addSiteUser(
  db: SqliteDatabase,
  user: { email: string; role: EffectiveRole; status?: 'active' | 'disabled'; password?: string; developer?: boolean },
): Promise<string> {
  const userId = randomUUID();
  const passwordHash = user.password === undefined ? null : await hashPassword(user.password);
  db.prepare(
    `INSERT INTO cloud_site_users (user_id, site_id, email, name, role, status, password_hash, developer)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(userId, randomUUID(), user.email, user.email.split('@')[0], user.role, user.status ?? 'active', passwordHash, user.developer ? 1 : 0);
  return userId;
}

/** Header and claim overrides for `signHubToken`; a claim set to undefined is left out. */
export interface HubTokenOverrides {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  nowS?: number;
}

/** Signs an access token the way the hub does: ES256, typ at+jwt, the hub's default issuer and audience, 15 min. */
export async function signHubToken(key: HubKey, userId: string, overrides: HubTokenOverrides = {}): Promise<string> {
  const nowS = overrides.nowS ?? Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: 'simtestlab-ems-cloud',
    aud: 'simtestlab-ems',
    sub: userId,
    iat: nowS,
    nbf: nowS,
    exp: nowS + 15 * 60,
    jti: randomUUID(),
    pv: 1,
    ...overrides.claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const header = { alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...overrides.header };
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}
