import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/connect';
import { createOpaqueToken, hashOpaqueToken } from './opaque-token';

/** Lifetime of one refresh token; each refresh replaces it with a new one of the same lifetime. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** Maximum age of a login through any number of refreshes. After it the user must log in again. */
export const SESSION_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** A family to continue: its id and when its login happened. */
export interface RefreshFamily {
  id: string;
  startedAt: Date;
}

/**
 * Issues a refresh token, starting a new family unless `family` continues one. The token expires after
 * its own lifetime or at the family's maximum age, whichever comes first.
 */
export async function issueRefreshToken(
  sql: Queryable,
  userId: string,
  client: ClientInfo,
  family: RefreshFamily = { id: randomUUID(), startedAt: new Date() },
): Promise<string> {
  const { token, hash } = createOpaqueToken();
  const expiresAtMs = Math.min(Date.now() + REFRESH_TOKEN_TTL_MS, family.startedAt.getTime() + SESSION_MAX_AGE_MS);
  await sql`
    INSERT INTO refresh_tokens (user_id, family_id, family_started_at, token_hash, expires_at, ip, user_agent)
    VALUES (${userId}, ${family.id}, ${family.startedAt}, ${hash}, ${new Date(expiresAtMs)}, ${client.ip}, ${client.userAgent})`;
  return token;
}

export type RotationResult =
  | { outcome: 'rotated'; userId: string; token: string }
  | { outcome: 'reused' | 'expired' | 'unknown' };

/**
 * Spends a refresh token and issues its successor in the same family. A token that was already spent or
 * revoked is reuse, the sign of a stolen token, so the whole family is revoked and the caller must log in.
 * Two refreshes racing with one token count as reuse too, because only one UPDATE can mark it spent.
 */
export async function rotateRefreshToken(sql: Queryable, token: string, client: ClientInfo): Promise<RotationResult> {
  const hash = hashOpaqueToken(token);
  const [spent] = await sql<{ user_id: string; family_id: string; family_started_at: Date }[]>`
    UPDATE refresh_tokens SET used_at = now()
    WHERE token_hash = ${hash} AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
    RETURNING user_id, family_id, family_started_at`;
  if (spent) {
    const next = await issueRefreshToken(sql, spent.user_id, client, { id: spent.family_id, startedAt: spent.family_started_at });
    return { outcome: 'rotated', userId: spent.user_id, token: next };
  }

  const [known] = await sql<{ family_id: string; used_at: Date | null; revoked_at: Date | null }[]>`
    SELECT family_id, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ${hash}`;
  if (!known) return { outcome: 'unknown' };
  if (known.used_at !== null || known.revoked_at !== null) {
    await revokeFamily(sql, known.family_id);
    return { outcome: 'reused' };
  }
  return { outcome: 'expired' };
}

/** Revokes the family of `token`, as logout does. Unknown tokens are ignored. */
export async function revokeRefreshToken(sql: Queryable, token: string): Promise<void> {
  const [known] = await sql<{ family_id: string }[]>`SELECT family_id FROM refresh_tokens WHERE token_hash = ${hashOpaqueToken(token)}`;
  if (known) await revokeFamily(sql, known.family_id);
}

async function revokeFamily(sql: Queryable, familyId: string): Promise<void> {
  await sql`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${familyId} AND revoked_at IS NULL`;
}

/** Revokes every refresh token of a user, as disabling the user or resetting the password does. */
export async function revokeUserRefreshTokens(sql: Queryable, userId: string): Promise<void> {
  await sql`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`;
}
