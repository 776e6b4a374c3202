import { randomBytes, randomUUID } from 'node:crypto';

/** Lifetime of a setup session token. */
export const SETUP_SESSION_MS = 60 * 60_000;

/** A setup session; `sessionId` names it in audit entries, where the token itself must not appear. */
export interface SetupSession {
  sessionId: string;
  expiresAtMs: number;
}

/**
 * Setup session tokens: 32 random bytes each, valid for one hour, kept in memory only, so after a restart
 * the setup page requests the setup code again.
 */
export class SetupSessions {
  private readonly sessions = new Map<string, SetupSession>();

  /** Issues a token that expires `SETUP_SESSION_MS` after `nowMs`. */
  issue(nowMs: number): SetupSession & { token: string } {
    for (const [token, session] of this.sessions) if (session.expiresAtMs <= nowMs) this.sessions.delete(token);
    const token = randomBytes(32).toString('base64url');
    const session: SetupSession = { sessionId: randomUUID(), expiresAtMs: nowMs + SETUP_SESSION_MS };
    this.sessions.set(token, session);
    return { token, ...session };
  }

  /** Returns the session of a token that has not expired, or undefined. */
  find(token: string, nowMs: number): SetupSession | undefined {
    const session = this.sessions.get(token);
    return session !== undefined && nowMs < session.expiresAtMs ? session : undefined;
  }

  /** Ends every session, once setup has finished. */
  clear(): void {
    this.sessions.clear();
  }
}
