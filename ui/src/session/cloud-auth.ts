import createClient from 'openapi-fetch';
import { unwrap } from '../api/http';
import type { paths } from '../api/generated/cloud-api';
import type { AuthBackend, Grant } from './grant';
import { tokenStorage } from './token-storage';

const client = createClient<paths>({ baseUrl: '' });

function grantOf(body: { accessToken: string; expiresIn: number }): Grant {
  const grant = { token: body.accessToken, expiresAtMs: Date.now() + body.expiresIn * 1000 };
  tokenStorage.save(grant);
  return grant;
}

/**
 * Hub sessions: the access token lives in memory and in this tab's storage; the refresh token is an
 * httpOnly cookie the browser sends to `/api/auth` only, so a reload resumes by refreshing.
 */
export const cloudAuth: AuthBackend = {
  identifierLabel: 'Email',
  async login(email, password) {
    return grantOf(await unwrap(client.POST('/api/auth/login', { body: { email, password } })));
  },
  async renew() {
    const { data } = await client.POST('/api/auth/refresh', { body: {} });
    return data ? grantOf(data) : null;
  },
  async resume() {
    return this.renew({ token: '', expiresAtMs: 0 });
  },
  async logout() {
    tokenStorage.save(null);
    await client.POST('/api/auth/logout', { body: {} });
  },
};
