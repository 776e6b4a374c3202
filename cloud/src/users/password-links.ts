import { createOpaqueToken } from '../auth/opaque-token';
import type { TransactionSql } from '../db/connect';

/** How long each kind of set-password link stays valid. */
export const PASSWORD_LINK_TTL_MS = {
  invite: 7 * 24 * 3600 * 1000,
  reset: 24 * 3600 * 1000,
} as const;

export type PasswordLinkPurpose = keyof typeof PASSWORD_LINK_TTL_MS;

/** Deletes a user's unused set-password tokens, so that no link issued so far works any more. */
export async function voidPasswordLinks(tx: TransactionSql, userId: string): Promise<void> {
  await tx`DELETE FROM password_tokens WHERE user_id = ${userId} AND used_at IS NULL`;
}

/**
 * Stores a new set-password token for a user (its SHA-256 digest only) and returns the token. Earlier
 * unused tokens of the user are voided, so only the newest link is valid.
 */
export async function createPasswordToken(tx: TransactionSql, userId: string, purpose: PasswordLinkPurpose, expiresAt: Date): Promise<string> {
  const { token, hash } = createOpaqueToken();
  await voidPasswordLinks(tx, userId);
  await tx`
    INSERT INTO password_tokens (user_id, token_hash, purpose, expires_at)
    VALUES (${userId}, ${hash}, ${purpose}, ${expiresAt})`;
  return token;
}

/**
 * Creates a set-password token as `createPasswordToken` does and returns the link that carries it, for
 * POST /api/auth/set-password to consume.
 */
export async function issuePasswordLink(
  tx: TransactionSql,
  userId: string,
  purpose: PasswordLinkPurpose,
  publicUrl: string,
  nowMs = Date.now(),
): Promise<{ setPasswordUrl: string; expiresAt: string }> {
  const expiresAt = new Date(nowMs + PASSWORD_LINK_TTL_MS[purpose]);
  const token = await createPasswordToken(tx, userId, purpose, expiresAt);
  return { setPasswordUrl: `${publicUrl}/set-password#token=${token}`, expiresAt: expiresAt.toISOString() };
}
