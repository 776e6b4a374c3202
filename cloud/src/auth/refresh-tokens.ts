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

/**
 * How long a spent refresh token may still be exchanged. Browser tabs that share the refresh cookie can
 * refresh at the same moment with the same token, and without this the second one would look like reuse.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;

export type RotationResult =
  | { outcome: 'rotated'; userId: string; token: string; withinGrace: boolean }
  | { outcome: 'reused' | 'expired' | 'unknown' };

/**
 * Spends a refresh token and issues its successor in the same family. A token that was spent less than
 * REFRESH_REUSE_GRACE_MS ago, is not expired and whose family is not revoked gets another successor in
 * the same family (`withinGrace`), so two refreshes racing with one token both succeed. Any other spent or
 * revoked token is reuse, the sign of a stolen token, so the whole family is revoked and the caller must
 * log in again.
 * NOTE: a family revoked between the check and the insert of a successor keeps that successor, because
 * the revoking UPDATE does not see rows inserted after it started. Closing this needs a lock per family.
 */
export async function rotateRefreshToken(sql: Queryable, token: string, client: ClientInfo): Promise<RotationResult> {
  const hash = hashOpaqueToken(token);
  const [spent] = await sql<{ user_id: string; family_id: string; family_started_at: Date }[]>`
    UPDATE refresh_tokens SET used_at = now()
    WHERE token_hash = ${hash} AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
    RETURNING user_id, family_id, family_started_at`;
  if (spent) {
    const next = await issueRefreshToken(sql, spent.user_id, client, { id: spent.family_id, startedAt: spent.family_started_at });
    return { outcome: 'rotated', userId: spent.user_id, token: next, withinGrace: false };
  }

  // The UPDATE above waits for a concurrent one on the same row to commit, so a racing refresh is
  // visible here as spent. Revoking a family marks every token of it, this one included.
  const [known] = await sql<KnownToken[]>`
    SELECT user_id, family_id, family_started_at, used_at, revoked_at,
           coalesce(used_at > now() - make_interval(secs => ${REFRESH_REUSE_GRACE_MS / 1000})
                    AND revoked_at IS NULL AND expires_at > now(), false) AS within_grace
    FROM refresh_tokens WHERE token_hash = ${hash}`;
  if (!known) return { outcome: 'unknown' };
  if (known.within_grace) {
    const next = await issueRefreshToken(sql, known.user_id, client, { id: known.family_id, startedAt: known.family_started_at });
    return { outcome: 'rotated', userId: known.user_id, token: next, withinGrace: true };
  }
  if (known.used_at !== null || known.revoked_at !== null) {
    await revokeFamily(sql, known.family_id);
    return { outcome: 'reused' };
  }
  return { outcome: 'expired' };
}

interface KnownToken {
  user_id: string;
  family_id: string;
  family_started_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  within_grace: boolean;
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
