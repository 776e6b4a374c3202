import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger';
import type { Queryable, Sql } from './connect';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** An arbitrary constant that serializes concurrent `cloud migrate` runs on one database. */
const MIGRATION_LOCK_KEY = 4_712_023;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Lists the migration files (`NNNN_name.sql`) in version order. */
export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file name "${file}" is invalid: expected NNNN_name.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    });
}

/** Returns the user name in a postgres URL, which is the role the service connects as. */
export function roleOfUrl(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  if (role === '') throw new Error('DATABASE_URL names no user: expected postgres://ROLE@HOST/DATABASE');
  return role;
}

/**
 * Applies pending migrations as the owner role, all in one transaction, then grants the runtime role
 * what the service needs and nothing more: no ownership, and only SELECT and INSERT on the audit log.
 * Returns the versions applied.
 */
export async function migrate(owner: Sql, runtimeRole: string, logger: Logger): Promise<number[]> {
  const [self] = await owner<{ role: string }[]>`SELECT current_user AS role`;
  if (self!.role === runtimeRole) {
    throw new Error(
      `MIGRATE_DATABASE_URL and DATABASE_URL both connect as "${runtimeRole}": the runtime role must be a separate role that owns nothing`,
    );
  }
  await checkRuntimeRole(owner, runtimeRole);
  const applied: number[] = [];
  await owner.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const done = new Set((await tx<{ version: number }[]>`SELECT version FROM schema_migrations`).map((row) => row.version));
    for (const migration of listMigrations()) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
      logger.info({ version: migration.version, name: migration.name }, 'migration applied');
    }
    await grantRuntimeRole(tx, runtimeRole);
  });
  return applied;
}

/**
 * Rejects a runtime role that row-level security would not restrict: a superuser or BYPASSRLS role skips
 * every policy, and a member of the owner role can SET ROLE to it and turn the policies off.
 */
async function checkRuntimeRole(owner: Sql, runtimeRole: string): Promise<void> {
  const [role] = await owner<{ rolsuper: boolean; rolbypassrls: boolean; member_of_owner: boolean }[]>`
    SELECT rolsuper, rolbypassrls, pg_has_role(rolname, current_user, 'MEMBER') AS member_of_owner
    FROM pg_roles WHERE rolname = ${runtimeRole}`;
  if (!role) throw new Error(`runtime role "${runtimeRole}" (the user in DATABASE_URL) does not exist: create it with CREATE ROLE ... LOGIN`);
  if (role.rolsuper || role.rolbypassrls) {
    throw new Error(`runtime role "${runtimeRole}" is a superuser or has BYPASSRLS, so row-level security would not apply to it: use a role with neither`);
  }
  if (role.member_of_owner) {
    throw new Error(`runtime role "${runtimeRole}" is a member of the owner role and could act as it: revoke that membership`);
  }
}

async function grantRuntimeRole(tx: Queryable, role: string): Promise<void> {
  const name = tx(role);
  await tx`GRANT USAGE ON SCHEMA public TO ${name}`;
  await tx`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${name}`;
  await tx`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`;
  await tx`REVOKE ALL ON schema_migrations FROM ${name}`;
  await tx`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${name}`;
  // Only the change-log triggers and the prune function (SECURITY DEFINER, run as the owner) write these.
  await tx`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON change_log, change_log_generations, site_users_state FROM ${name}`;
  // Uploaded telemetry is only added, or replaced by a higher revision. Deleting a site removes its rows.
  await tx`REVOKE DELETE, TRUNCATE ON telemetry_rollups, site_sync_status FROM ${name}`;
  // Series are only added; deleting one would delete its rollups through a trigger.
  await tx`REVOKE UPDATE, DELETE, TRUNCATE ON telemetry_series FROM ${name}`;
  await tx`REVOKE UPDATE, DELETE, TRUNCATE ON edge_events, alarm_transitions FROM ${name}`;
  await tx`GRANT EXECUTE ON FUNCTION telemetry_rollups_ensure_partitions(timestamptz[]) TO ${name}`;
  await tx`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`;
}
