import createClient from 'openapi-fetch';
import { unwrap } from '../api/http';
import type { paths } from '../api/generated/edge-api';
import type { AuthBackend, Grant } from './grant';
import { tokenStorage } from './token-storage';

const client = createClient<paths>({ baseUrl: '' });

function grantOf(body: { accessToken: string; expiresAt: string }): Grant {
  const grant = { token: body.accessToken, expiresAtMs: Date.parse(body.expiresAt) };
  tokenStorage.save(grant);
  return grant;
}

/**
 * Edge sessions: local installer accounts and the site's hub users log in offline; the token is kept
 * in this tab's storage and renewed with itself before it expires.
 */
export const edgeAuth: AuthBackend = {
  identifierLabel: 'Username or email',
  async login(username, password) {
    return grantOf(await unwrap(client.POST('/api/auth/login', { body: { username, password } })));
  },
  async renew(current) {
    const { data } = await client.POST('/api/auth/refresh', { headers: { Authorization: `Bearer ${current.token}` } });
    return data ? grantOf(data) : null;
  },
  async resume() {
    const stored = tokenStorage.load();
    return stored ? this.renew(stored) : null;
  },
  async logout() {
    tokenStorage.save(null);
  },
};
