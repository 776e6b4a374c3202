import { createOpaqueToken } from '../auth/opaque-token';
import type { TransactionSql } from '../db/connect';

/** How long each kind of set-password link stays valid. */
export const PASSWORD_LINK_TTL_MS = {
  invite: 7 * 24 * 3600 * 1000,
  reset: 24 * 3600 * 1000,
} as const;

export type PasswordLinkPurpose = keyof typeof PASSWORD_LINK_TTL_MS;

/**
 * Stores a new set-password token for a user (its SHA-256 digest only) and returns the link that
 * carries the token, for POST /api/auth/set-password to consume. Earlier unused links of the user stop
 * working, so only the newest invitation or reset link is valid.
 */
export async function issuePasswordLink(
  tx: TransactionSql,
  userId: string,
  purpose: PasswordLinkPurpose,
  publicUrl: string,
  nowMs = Date.now(),
): Promise<{ setPasswordUrl: string; expiresAt: string }> {
  const { token, hash } = createOpaqueToken();
  const expiresAt = new Date(nowMs + PASSWORD_LINK_TTL_MS[purpose]);
  await tx`DELETE FROM password_tokens WHERE user_id = ${userId} AND used_at IS NULL`;
  await tx`
    INSERT INTO password_tokens (user_id, token_hash, purpose, expires_at)
    VALUES (${userId}, ${hash}, ${purpose}, ${expiresAt})`;
  return { setPasswordUrl: `${publicUrl}/set-password#token=${token}`, expiresAt: expiresAt.toISOString() };
}
