/** An access token and when it expires, as either login backend hands it out. */
export interface Grant {
  token: string;
  expiresAtMs: number;
}

/** Login backend of one mode: logs in, renews and ends a session. */
export interface AuthBackend {
  /** Label of the login form's identifier field: a username (edge, which also accepts an email) or an email (hub). */
  identifierLabel: string;
  login(identifier: string, password: string): Promise<Grant>;
  /** A fresh grant for the current one, or null when the session cannot be renewed. */
  renew(current: Grant): Promise<Grant | null>;
  /** The session that survives a page reload, if any. */
  resume(): Promise<Grant | null>;
  logout(current: Grant | null): Promise<void>;
}

/** Renew a minute before the token expires, or at half its remaining life when that is under two minutes. */
export function renewDelayMs(grant: Grant, now: number): number {
  const remaining = grant.expiresAtMs - now;
  return Math.max(1_000, remaining > 120_000 ? remaining - 60_000 : remaining / 2);
}
