import type { SqliteDatabase } from '../../src/store/database';
import { createEdgeAuth, type EdgeAuth, type EdgeAuthOptions } from '../../src/auth/edge-auth';
import { loadEdgeTokenKey } from '../../src/auth/edge-token-key';
import { saveLocalAccount } from '../../src/auth/local-accounts';
import { hashPassword } from '../../src/auth/passwords';
import { createSilentLogger } from '../../src/logger';

/** Username and password of the local admin that test fixtures create. */
export const TEST_ADMIN = { username: 'installer', password: 'correct horse battery staple' } as const;

/** Edge auth on a test database, signing with the key file in `dataDir`. */
export function createTestAuth(db: SqliteDatabase, dataDir: string, options: Partial<EdgeAuthOptions> = {}): EdgeAuth {
  return createEdgeAuth({ db, tokenKey: loadEdgeTokenKey(dataDir), logger: createSilentLogger(), ...options });
}

/** Stores a local installer account with an argon2id hash of `password`. */
export async function addLocalAdmin(db: SqliteDatabase, username: string = TEST_ADMIN.username, password: string = TEST_ADMIN.password): Promise<void> {
  saveLocalAccount(db, { username, passwordHash: await hashPassword(password), replace: false });
}

/** Logs in through `auth` and returns the access token, failing the test when the login fails. */
export async function loginToken(auth: EdgeAuth, username: string = TEST_ADMIN.username, password: string = TEST_ADMIN.password): Promise<string> {
  const result = await auth.login(username, password, '127.0.0.1');
  if (!result.ok) throw new Error(`test login as ${username} failed: ${result.reason}`);
  return result.token;
}

/** Logs in with POST /api/auth/login on a running edge node and returns the access token. */
export async function loginOverHttp(baseUrl: string, username: string = TEST_ADMIN.username, password: string = TEST_ADMIN.password): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${username} on ${baseUrl} returned ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Request options with `Authorization: Bearer <token>`. */
export function bearer(token: string): { headers: Record<string, string> } {
  return { headers: { Authorization: `Bearer ${token}` } };
}
