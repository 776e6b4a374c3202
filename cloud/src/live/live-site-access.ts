import type { Caller } from '../access/caller';
import { isUuid } from '../access/guards';
import type { Sql } from '../db/connect';
import { inTenantScope } from '../db/scope';

/** Postgres type id of uuid, for array parameters. */
const UUID_TYPE_ID = 2950;

/** Lists every site `caller` may watch: explicit grants, all sites of administered organizations, every site for platform admins. */
export async function listWatchableSites(sql: Sql, caller: Caller): Promise<string[]> {
  const rows = await inTenantScope(sql, caller.scope, (tx) => tx<{ id: string; organization_id: string }[]>`
    SELECT id, organization_id FROM sites ORDER BY id`);
  return rows.filter((row) => caller.siteRole(row.id, row.organization_id) !== null).map((row) => row.id);
}

/**
 * Splits requested site ids into those `caller` may watch and the rest. Sites that do not exist and
 * sites of other organizations are denied alike, so ids cannot be probed.
 */
export async function resolveWatchableSites(sql: Sql, caller: Caller, siteIds: readonly string[]): Promise<{ allowed: string[]; denied: string[] }> {
  const candidates = [...new Set(siteIds)].filter(isUuid);
  const rows =
    candidates.length === 0
      ? []
      : await inTenantScope(sql, caller.scope, (tx) => tx<{ id: string; organization_id: string }[]>`
          SELECT id, organization_id FROM sites WHERE id = ANY(${tx.array(candidates, UUID_TYPE_ID)})`);
  const allowedSet = new Set(rows.filter((row) => caller.siteRole(row.id, row.organization_id) !== null).map((row) => row.id));
  const unique = [...new Set(siteIds)];
  return { allowed: unique.filter((id) => allowedSet.has(id)), denied: unique.filter((id) => !allowedSet.has(id)) };
}
