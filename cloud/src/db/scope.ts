import type { Sql, TransactionSql } from './connect';

/**
 * The organizations a transaction may touch: all of them (platform admins and the service's own
 * lookups), or a list. Row-level security reads it from two settings that last only until the
 * transaction ends, so a pooled connection never carries one request's scope into the next.
 */
export type TenantScope = { all: true } | { all: false; organizationIds: readonly string[] };

export const allOrganizations: TenantScope = { all: true };

/** Runs `work` in a transaction whose row-level security scope is `scope`. */
export async function inTenantScope<T>(sql: Sql, scope: TenantScope, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    const organizationIds = scope.all ? '{}' : `{${scope.organizationIds.join(',')}}`;
    await tx`SELECT set_config('app.all_organizations', ${scope.all ? 'on' : 'off'}, true),
                    set_config('app.organization_ids', ${organizationIds}, true)`;
    return work(tx);
  });
  return result as T;
}
