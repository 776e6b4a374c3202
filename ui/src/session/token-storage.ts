import type { Grant } from './grant';

/** The key the hub's API docs page also reads, so a developer's token works there too. */
const STORAGE_KEY = 'simtestlab.accessToken';
const EXPIRY_KEY = 'simtestlab.accessTokenExpiresAt';

/** Keeps the grant for this browser tab only, so a reload does not log the user out. */
export const tokenStorage = {
  save(grant: Grant | null): void {
    if (grant === null) {
      sessionStorage.removeItem(STORAGE_KEY);
      sessionStorage.removeItem(EXPIRY_KEY);
      return;
    }
    sessionStorage.setItem(STORAGE_KEY, grant.token);
    sessionStorage.setItem(EXPIRY_KEY, String(grant.expiresAtMs));
  },
  load(): Grant | null {
    const token = sessionStorage.getItem(STORAGE_KEY);
    const expiresAtMs = Number(sessionStorage.getItem(EXPIRY_KEY));
    if (!token || !Number.isFinite(expiresAtMs) || expiresAtMs <= Date.now()) return null;
    return { token, expiresAtMs };
  },
};
