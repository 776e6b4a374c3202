import createClient from 'openapi-fetch';
import { unwrap } from '../api/http';
import type { paths } from '../api/generated/cloud-api';
import type { AuthBackend, Grant } from './grant';
import { tokenStorage } from './token-storage';

const client = createClient<paths>({ baseUrl: '' });

/**
 * Set while this browser has a refresh cookie, so a page load without one does not ask the hub to
 * refresh and log a 401. The cookie itself is httpOnly, so the app cannot see it.
 */
const SESSION_HINT_KEY = 'simtestlab.hubSession';

function grantOf(body: { accessToken: string; expiresIn: number }): Grant {
  const grant = { token: body.accessToken, expiresAtMs: Date.now() + body.expiresIn * 1000 };
  tokenStorage.save(grant);
  localStorage.setItem(SESSION_HINT_KEY, '1');
  return grant;
}

function forget(): void {
  tokenStorage.save(null);
  localStorage.removeItem(SESSION_HINT_KEY);
}

/**
 * Hub sessions. The access token lives in memory and in this tab's storage. The refresh token is an
 * httpOnly cookie that the browser sends to `/api/auth` only, so a reload resumes by refreshing.
 */
export const cloudAuth: AuthBackend = {
  identifierLabel: 'Email',
  async login(email, password) {
    return grantOf(await unwrap(client.POST('/api/auth/login', { body: { email, password } })));
  },
  async renew() {
    const { data } = await client.POST('/api/auth/refresh', { body: {} });
    if (data) return grantOf(data);
    forget();
    return null;
  },
  async resume() {
    return localStorage.getItem(SESSION_HINT_KEY) ? this.renew({ token: '', expiresAtMs: 0 }) : null;
  },
  async logout() {
    forget();
    await client.POST('/api/auth/logout', { body: {} });
  },
};
