import { writeAuditEntry } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import type { AuthPrincipal } from './edge-auth';
import { findLocalAccountById, saveLocalAccount } from './local-accounts';
import type { LoginRateLimiter } from './login-rate-limit';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';

/** Outcome of a password change by the account's owner. */
export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; reason: 'not_local' | 'account_missing' | 'wrong_password' }
  | { ok: false; reason: 'invalid_password'; message: string }
  | { ok: false; reason: 'rate_limited'; retryAfterS: number };

export interface PasswordChangeDeps {
  db: SqliteDatabase;
  logger: Logger;
  /** The login limiter: wrong current passwords count against the account like failed logins. */
  limiter: LoginRateLimiter;
}

/**
 * Sets a new password for the local account behind `principal` after checking the current one, and
 * writes an audit entry either way. Synced cloud users change their password at the hub, which owns it.
 * NOTE: edge tokens are not revoked, so tokens issued before the change stay valid until they expire (15 min).
 */
export async function changeLocalPassword(
  deps: PasswordChangeDeps,
  input: { principal: AuthPrincipal; currentPassword: string; newPassword: string; clientAddress: string },
): Promise<PasswordChangeResult> {
  const { db, logger, limiter } = deps;
  const { principal, clientAddress } = input;
  if (principal.source !== 'local') return { ok: false, reason: 'not_local' };
  const account = findLocalAccountById(db, principal.subject);
  if (!account) return { ok: false, reason: 'account_missing' };
  const problem = passwordProblem(input.newPassword);
  if (problem !== null) return { ok: false, reason: 'invalid_password', message: problem };

  const audit = (action: string, details: Record<string, unknown>) =>
    writeAuditEntry(db, { actorType: 'user', actorId: account.id, action, targetType: 'local_account', targetId: account.id, details: { username: account.username, clientAddress, ...details } });

  const retryAfterS = limiter.checkAttempt(clientAddress, account.username);
  if (retryAfterS > 0) {
    audit('local_account.password_change_failed', { reason: 'rate_limited', retryAfterS });
    logger.warn({ user: account.id, clientAddress, retryAfterS }, 'password change rate limited');
    return { ok: false, reason: 'rate_limited', retryAfterS };
  }
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    limiter.recordFailure(account.username);
    audit('local_account.password_change_failed', { reason: 'wrong current password' });
    logger.info({ user: account.id, clientAddress }, 'password change failed: wrong current password');
    return { ok: false, reason: 'wrong_password' };
  }
  limiter.recordSuccess(account.username);

  const passwordHash = await hashPassword(input.newPassword);
  db.transaction(() => {
    saveLocalAccount(db, { username: account.username, passwordHash, replace: true });
    audit('local_account.password_changed', {});
  })();
  logger.info({ user: account.id, clientAddress }, 'local account password changed');
  return { ok: true };
}
