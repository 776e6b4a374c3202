import type { EffectiveRole } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';

/** A hub user of this site, as synced into `cloud_site_users`. */
export interface SiteUser {
  userId: string;
  email: string;
  role: EffectiveRole;
  status: 'active' | 'disabled';
  passwordHash: string | null;
  developer: boolean;
}

interface SiteUserRow {
  user_id: string;
  email: string;
  role: EffectiveRole;
  status: 'active' | 'disabled';
  password_hash: string | null;
  developer: number;
}

const columns = 'user_id, email, role, status, password_hash, developer';

function toSiteUser(row: SiteUserRow): SiteUser {
  return { userId: row.user_id, email: row.email, role: row.role, status: row.status, passwordHash: row.password_hash, developer: row.developer === 1 };
}

/** Finds a synced site user by email, ignoring case. */
export function findSiteUserByEmail(db: SqliteDatabase, email: string): SiteUser | undefined {
  const row = db.prepare<[string], SiteUserRow>(`SELECT ${columns} FROM cloud_site_users WHERE lower(email) = lower(?) ORDER BY user_id LIMIT 1`).get(email);
  return row && toSiteUser(row);
}

/** Finds a synced site user by hub user id. */
export function findSiteUserById(db: SqliteDatabase, userId: string): SiteUser | undefined {
  const row = db.prepare<[string], SiteUserRow>(`SELECT ${columns} FROM cloud_site_users WHERE user_id = ?`).get(userId);
  return row && toSiteUser(row);
}
