/*
 * The setup token of this tab, kept in sessionStorage so a reload does not need the code again. The
 * edge node keeps tokens in memory, so after its restart the wizard gets a 401 and shows the code step.
 */

const TOKEN_KEY = 'simtestlab.setupToken';
const EXPIRY_KEY = 'simtestlab.setupTokenExpiresAt';

/** Reads and writes the setup token; `now` is injectable for tests. */
export const setupTokenStorage = {
  save(token: string, expiresAt: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(EXPIRY_KEY, expiresAt);
  },
  load(now = Date.now()): string | null {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const expiresAtMs = Date.parse(sessionStorage.getItem(EXPIRY_KEY) ?? '');
    if (token === null || !Number.isFinite(expiresAtMs) || expiresAtMs <= now) return null;
    return token;
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(EXPIRY_KEY);
  },
};
