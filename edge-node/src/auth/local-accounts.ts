import { randomUUID } from 'node:crypto';
import type { EffectiveRole } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';

/**
 * Role of every local installer account. An installer configures and commissions this one site, so it
 * gets site manager rights (site settings and device control) but none of the organization, user
 * administration or developer rights, which stay with the hub.
 */
export const LOCAL_ACCOUNT_ROLE: EffectiveRole = 'site_manager';

/** Letters, digits, dot, dash and underscore; no `@`, so a username never looks like a hub user's email. */
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

/** A local installer account as stored. */
export interface LocalAccount {
  id: string;
  username: string;
  passwordHash: string;
  role: EffectiveRole;
}

interface LocalAccountRow {
  id: string;
  username: string;
  password_hash: string;
  role: EffectiveRole;
}

/** Returns why a username is unacceptable, or null when it is valid. */
export function usernameProblem(username: string): string | null {
  return USERNAME_PATTERN.test(username) ? null : `invalid username "${username}": use 3 to 64 letters, digits, dots, dashes or underscores`;
}

/** Finds a local account by username, ignoring case. */
export function findLocalAccount(db: SqliteDatabase, username: string): LocalAccount | undefined {
  const row = db
    .prepare<[string], LocalAccountRow>('SELECT id, username, password_hash, role FROM local_accounts WHERE username = ?')
    .get(username);
  return row && { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role };
}

/** Finds a local account by its id, the subject of its edge tokens. */
export function findLocalAccountById(db: SqliteDatabase, id: string): LocalAccount | undefined {
  const row = db.prepare<[string], LocalAccountRow>('SELECT id, username, password_hash, role FROM local_accounts WHERE id = ?').get(id);
  return row && { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role };
}

/**
 * Creates a local installer account, or sets a new password hash when `replace` is true and the
 * username exists. Throws when it exists and `replace` is false. Returns the account and whether it
 * was created.
 */
export function saveLocalAccount(
  db: SqliteDatabase,
  input: { username: string; passwordHash: string; replace: boolean },
  nowMs = Date.now(),
): { account: LocalAccount; created: boolean } {
  const problem = usernameProblem(input.username);
  if (problem !== null) throw new Error(problem);
  const existing = findLocalAccount(db, input.username);
  if (existing && !input.replace) {
    throw new Error(`a local account "${existing.username}" exists already; pass --replace to set a new password for it`);
  }
  if (existing) {
    db.prepare('UPDATE local_accounts SET password_hash = ?, updated_at = ? WHERE id = ?').run(input.passwordHash, nowMs, existing.id);
    return { account: { ...existing, passwordHash: input.passwordHash }, created: false };
  }
  const account: LocalAccount = { id: randomUUID(), username: input.username, passwordHash: input.passwordHash, role: LOCAL_ACCOUNT_ROLE };
  db.prepare('INSERT INTO local_accounts (id, username, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    account.id,
    account.username,
    account.passwordHash,
    account.role,
    nowMs,
    nowMs,
  );
  return { account, created: true };
}
