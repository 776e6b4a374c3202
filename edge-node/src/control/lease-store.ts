import type { ControlLease, ControlSource, ControlValue } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';

interface LeaseRow {
  point: string;
  source: ControlSource;
  value: string;
  user_id: string;
  user_name: string;
  started_at: number;
  expires_at: number | null;
}

function fromRow(row: LeaseRow): ControlLease {
  return {
    point: row.point,
    source: row.source,
    value: JSON.parse(row.value) as ControlValue,
    userId: row.user_id,
    userName: row.user_name,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
  };
}

/** Checks whether a lease is still in force at `now`; an on-site write without expiry always is. */
export function leaseInForce(lease: ControlLease, now: number): boolean {
  return lease.expiresAt === null || lease.expiresAt > now;
}

/**
 * The `control_leases` table: one lease per controlled point. A lease row stays until its release has
 * been applied, so a release that failed is retried after a restart too. Values are stored as JSON
 * text, because SQLite would turn a boolean into an integer.
 */
export class LeaseStore {
  constructor(private readonly db: SqliteDatabase) {}

  get(point: string): ControlLease | undefined {
    const row = this.db.prepare<[string], LeaseRow>('SELECT * FROM control_leases WHERE point = ?').get(point);
    return row && fromRow(row);
  }

  all(): ControlLease[] {
    return this.db.prepare<[], LeaseRow>('SELECT * FROM control_leases ORDER BY point').all().map(fromRow);
  }

  put(lease: ControlLease): void {
    this.db
      .prepare(
        `INSERT INTO control_leases (point, source, value, user_id, user_name, started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (point) DO UPDATE SET source = excluded.source, value = excluded.value, user_id = excluded.user_id,
           user_name = excluded.user_name, started_at = excluded.started_at, expires_at = excluded.expires_at`,
      )
      .run(lease.point, lease.source, JSON.stringify(lease.value), lease.userId, lease.userName, lease.startedAt, lease.expiresAt);
  }

  /** Deletes the point's lease when it is still the one that started at `startedAt`, so a newer lease survives. */
  delete(point: string, startedAt: number): void {
    this.db.prepare('DELETE FROM control_leases WHERE point = ? AND started_at = ?').run(point, startedAt);
  }
}
