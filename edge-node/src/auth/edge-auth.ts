import type { EffectiveRole } from '@simtestlab/sync';
import { decodeProtectedHeader } from 'jose';
import { writeAuditEntry } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { issueEdgeToken, verifyEdgeToken, EDGE_TOKEN_ALGORITHM, type AccountSource } from './edge-tokens';
import { DEFAULT_HUB_TOKEN_SETTINGS, verifyHubToken, type HubTokenSettings } from './hub-tokens';
import { InvalidTokenError } from './invalid-token-error';
import { findLocalAccount } from './local-accounts';
import { LoginRateLimiter } from './login-rate-limit';
import { verifyPassword } from './passwords';
import { changeLocalPassword, type PasswordChangeResult } from './password-change';
import { findSiteUserByEmail, findSiteUserById } from './site-users';
import { refreshEdgeToken } from './token-refresh';

/** An authenticated caller: the account, where it is stored, and what the permission matrix needs. */
export interface AuthPrincipal {
  subject: string;
  source: AccountSource | 'hub-token';
  role: EffectiveRole;
  developer: boolean;
}

export type LoginResult =
  | { ok: true; token: string; expiresAtS: number; principal: AuthPrincipal }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterS: number };

export type RefreshResult = { ok: true; token: string; expiresAtS: number; principal: AuthPrincipal } | { ok: false; message: string };

export interface EdgeAuthOptions {
  db: SqliteDatabase;
  /** HS256 secret that signs edge tokens, from `loadEdgeTokenKey`. */
  tokenKey: Uint8Array;
  logger: Logger;
  hubTokens?: HubTokenSettings;
  rateLimiter?: LoginRateLimiter;
}

/** Offline login and token verification for the edge API and live stream. */
export interface EdgeAuth {
  /** Checks a username or email and password, writes an audit entry, and issues an edge token on success. */
  login(identifier: string, password: string, clientAddress: string): Promise<LoginResult>;
  /** Verifies an edge token or a hub access token; throws `InvalidTokenError` when it is not accepted. */
  authenticate(token: string): Promise<AuthPrincipal>;
  /** Exchanges a valid edge token for a new one of the same account, and writes an audit entry. */
  refresh(token: string, clientAddress: string): Promise<RefreshResult>;
  /** Changes the password of the caller's local account after checking the current one, with the rate limits of `login`. */
  changePassword(principal: AuthPrincipal, currentPassword: string, newPassword: string, clientAddress: string): Promise<PasswordChangeResult>;
}

type Verified =
  | { ok: true; subject: string; source: AccountSource; role: EffectiveRole; developer: boolean; passwordHash: string }
  | { ok: false; detail: string; subject: string | null };

export function createEdgeAuth(options: EdgeAuthOptions): EdgeAuth {
  const { db, tokenKey, logger } = options;
  const limiter = options.rateLimiter ?? new LoginRateLimiter();
  const hubTokens = options.hubTokens ?? DEFAULT_HUB_TOKEN_SETTINGS;

  /** Local installer accounts first, then synced hub users; every miss verifies the decoy hash, so misses take as long as wrong passwords. */
  async function checkCredentials(identifier: string, password: string): Promise<Verified> {
    const local = identifier.includes('@') ? undefined : findLocalAccount(db, identifier);
    if (local) {
      return (await verifyPassword(local.passwordHash, password))
        ? { ok: true, subject: local.id, source: 'local', role: local.role, developer: false, passwordHash: local.passwordHash }
        : { ok: false, detail: 'wrong password', subject: local.id };
    }
    const user = findSiteUserByEmail(db, identifier);
    const usable = user !== undefined && user.status === 'active' && user.passwordHash !== null;
    const matches = await verifyPassword(usable ? user.passwordHash : null, password);
    if (!user) return { ok: false, detail: 'unknown account', subject: null };
    if (user.status !== 'active') return { ok: false, detail: 'user disabled', subject: user.userId };
    if (user.passwordHash === null) return { ok: false, detail: 'no password set', subject: user.userId };
    return matches
      ? { ok: true, subject: user.userId, source: 'cloud-user', role: user.role, developer: user.developer, passwordHash: user.passwordHash }
      : { ok: false, detail: 'wrong password', subject: user.userId };
  }

  function audit(action: string, subject: string | null, details: Record<string, unknown>): void {
    writeAuditEntry(db, { actorType: 'user', actorId: subject, action, targetType: 'edge_session', details });
  }

  return {
    async login(identifier, password, clientAddress) {
      const retryAfterS = limiter.checkAttempt(clientAddress, identifier);
      if (retryAfterS > 0) {
        audit('auth.login_failed', null, { identifier, clientAddress, reason: 'rate_limited', retryAfterS });
        logger.warn({ identifier, clientAddress, retryAfterS }, 'login rate limited');
        return { ok: false, reason: 'rate_limited', retryAfterS };
      }
      const verified = await checkCredentials(identifier, password);
      if (!verified.ok) {
        limiter.recordFailure(identifier);
        audit('auth.login_failed', verified.subject, { identifier, clientAddress, reason: verified.detail });
        logger.info({ identifier, clientAddress, reason: verified.detail }, 'login failed');
        return { ok: false, reason: 'invalid_credentials' };
      }
      limiter.recordSuccess(identifier);
      const { token, expiresAtS } = await issueEdgeToken(tokenKey, { id: verified.subject, role: verified.role, source: verified.source, passwordHash: verified.passwordHash });
      audit('auth.login_succeeded', verified.subject, { identifier, clientAddress, source: verified.source, role: verified.role });
      logger.info({ user: verified.subject, source: verified.source, clientAddress }, 'login succeeded');
      const principal: AuthPrincipal = { subject: verified.subject, source: verified.source, role: verified.role, developer: verified.developer };
      return { ok: true, token, expiresAtS, principal };
    },

    async authenticate(token) {
      let algorithm: unknown;
      try {
        algorithm = decodeProtectedHeader(token).alg;
      } catch (error) {
        throw new InvalidTokenError('invalid', 'access token rejected: it is not a JWS in compact form', { cause: error });
      }
      if (algorithm === EDGE_TOKEN_ALGORITHM) {
        const claims = await verifyEdgeToken(token, tokenKey);
        if (claims.source === 'local') return { subject: claims.subject, source: 'local', role: claims.role, developer: false };
        return hubUserPrincipal(claims.subject, 'cloud-user');
      }
      const claims = await verifyHubToken(token, db, hubTokens);
      return hubUserPrincipal(claims.userId, 'hub-token');
    },

    async refresh(token, clientAddress) {
      const result = await refreshEdgeToken(db, tokenKey, token);
      if (!result.ok) {
        audit('auth.refresh_failed', result.subject, { clientAddress, reason: result.message });
        logger.info({ user: result.subject, clientAddress, reason: result.message }, 'token refresh rejected');
        return { ok: false, message: result.message };
      }
      const { account } = result;
      audit('auth.token_refreshed', account.id, { clientAddress, source: account.source, role: account.role });
      logger.debug({ user: account.id, source: account.source, clientAddress }, 'token refreshed');
      const principal: AuthPrincipal = { subject: account.id, source: account.source, role: account.role, developer: account.developer };
      return { ok: true, token: result.token, expiresAtS: result.expiresAtS, principal };
    },

    changePassword(principal, currentPassword, newPassword, clientAddress) {
      return changeLocalPassword({ db, logger, limiter }, { principal, currentPassword, newPassword, clientAddress });
    },
  };

  /** Looks up a hub user in the synced rows on every request, so a disabled or removed user loses access at the next sync. */
  function hubUserPrincipal(userId: string, source: AuthPrincipal['source']): AuthPrincipal {
    const user = findSiteUserById(db, userId);
    if (!user) throw new InvalidTokenError('invalid', 'access token rejected: the user has no access to this site');
    if (user.status !== 'active') throw new InvalidTokenError('invalid', 'access token rejected: the user is disabled');
    return { subject: user.userId, source, role: user.role, developer: user.developer };
  }
}
