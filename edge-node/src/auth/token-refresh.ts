import { decodeProtectedHeader } from 'jose';
import type { SqliteDatabase } from '../store/database';
import { EDGE_SESSION_MAX_S, EDGE_TOKEN_ALGORITHM, issueEdgeToken, passwordVersion, verifyEdgeToken, type AccountSource } from './edge-tokens';
import { InvalidTokenError } from './invalid-token-error';
import { findLocalAccountById } from './local-accounts';
import { findSiteUserById } from './site-users';
import type { EffectiveRole } from '@simtestlab/sync';

/** Outcome of a refresh: a new token for the account, or the reason the old one is not exchanged. */
export type TokenRefreshResult =
  | { ok: true; token: string; expiresAtS: number; account: { id: string; source: AccountSource; role: EffectiveRole; developer: boolean } }
  | { ok: false; subject: string | null; message: string };

/**
 * Exchanges a valid edge token for one with a fresh expiry. The account is read again, so the new
 * token carries the current role, and a local account removed since, or a synced user removed or
 * disabled since, gets none. A session older than `EDGE_SESSION_MAX_S`, or one that began before the
 * account's password changed, gets none either. Hub tokens are rejected because only the hub may
 * extend them.
 */
export async function refreshEdgeToken(db: SqliteDatabase, tokenKey: Uint8Array, token: string, nowS = Math.floor(Date.now() / 1000)): Promise<TokenRefreshResult> {
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    return { ok: false, subject: null, message: 'access token rejected: it is not a JWS in compact form' };
  }
  if (algorithm !== EDGE_TOKEN_ALGORITHM) {
    return { ok: false, subject: null, message: 'a hub access token cannot be refreshed on the edge: refresh it at the cloud hub, or log in on the edge with POST /api/auth/login' };
  }

  let claims;
  try {
    claims = await verifyEdgeToken(token, tokenKey);
  } catch (error) {
    if (error instanceof InvalidTokenError) return { ok: false, subject: null, message: error.message };
    throw error;
  }

  if (nowS - claims.authTimeS > EDGE_SESSION_MAX_S) {
    return { ok: false, subject: claims.subject, message: `the session began more than ${EDGE_SESSION_MAX_S / 3600} h ago; log in again` };
  }
  const passwordChanged = (hash: string | null) => claims.passwordVersion !== null && claims.passwordVersion !== passwordVersion(hash);
  const changedMessage = 'the password of this account changed after this session began; log in again with the new password';

  if (claims.source === 'local') {
    const account = findLocalAccountById(db, claims.subject);
    if (!account) return { ok: false, subject: claims.subject, message: 'the local account of this token was removed; log in with another account' };
    if (passwordChanged(account.passwordHash)) return { ok: false, subject: claims.subject, message: changedMessage };
    const issued = await issueEdgeToken(tokenKey, { id: account.id, role: account.role, source: 'local', passwordHash: account.passwordHash }, nowS, claims.authTimeS);
    return { ok: true, ...issued, account: { id: account.id, source: 'local', role: account.role, developer: false } };
  }

  const user = findSiteUserById(db, claims.subject);
  if (!user) return { ok: false, subject: claims.subject, message: 'the user of this token no longer has access to this site; log in again' };
  if (user.status !== 'active') return { ok: false, subject: claims.subject, message: 'the user of this token is disabled; ask an administrator' };
  if (passwordChanged(user.passwordHash)) return { ok: false, subject: claims.subject, message: changedMessage };
  const issued = await issueEdgeToken(tokenKey, { id: user.userId, role: user.role, source: 'cloud-user', passwordHash: user.passwordHash }, nowS, claims.authTimeS);
  return { ok: true, ...issued, account: { id: user.userId, source: 'cloud-user', role: user.role, developer: user.developer } };
}
