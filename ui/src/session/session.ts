import { createSignal } from 'solid-js';
import type { TokenSource } from '../api/http';
import { renewDelayMs, type AuthBackend, type Grant } from './grant';

/**
 * The signed-in session of this tab: the grant, its renewal before expiry, and the end of the session
 * when renewal fails. One renewal runs at a time, however many callers request it.
 */
export function createSession(backend: AuthBackend) {
  const [grant, setGrant] = createSignal<Grant | null>(null);
  const [ended, setEnded] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let renewing: Promise<boolean> | undefined;

  function adopt(next: Grant | null): void {
    clearTimeout(timer);
    setGrant(next);
    if (next) timer = setTimeout(() => void renew(), renewDelayMs(next, Date.now()));
  }

  function renew(): Promise<boolean> {
    const current = grant();
    if (!current) return Promise.resolve(false);
    renewing ??= backend
      .renew(current)
      .catch(() => null)
      .then((next) => {
        renewing = undefined;
        if (next) {
          adopt(next);
          return true;
        }
        adopt(null);
        setEnded('Your session has ended. Log in again to continue.');
        return false;
      });
    return renewing;
  }

  const tokens: TokenSource = { token: () => grant()?.token ?? null, renew };

  return {
    grant,
    tokens,
    /** Reason the session ended without the user logging out, for the login page. */
    ended,
    identifierLabel: backend.identifierLabel,
    async resume(): Promise<boolean> {
      adopt(await backend.resume().catch(() => null));
      return grant() !== null;
    },
    async login(identifier: string, password: string): Promise<void> {
      adopt(await backend.login(identifier, password));
      setEnded(null);
    },
    async logout(): Promise<void> {
      const current = grant();
      adopt(null);
      await backend.logout(current).catch(() => undefined);
    },
  };
}
export type Session = ReturnType<typeof createSession>;
