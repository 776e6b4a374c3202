import { allOrganizations, inTenantScope } from '../../src/db/scope';
import type { CloudFixture } from './cloud-fixture';

/** One audit_log row as the tests check it. */
export interface AuditRow {
  organization_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: any;
  after: any;
}

/** Reads the audit entries with `action` about `targetId`, oldest first, as the owner role across organizations. */
export function auditEntries(fixture: CloudFixture, action: string, targetId: string): Promise<AuditRow[]> {
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => [
    ...(await tx<AuditRow[]>`
      SELECT organization_id, actor_id, action, target_type, target_id, before, after
      FROM audit_log WHERE action = ${action} AND target_id = ${targetId} ORDER BY id`),
  ]);
}

/** Counts every audit entry, to show that a rejected request wrote none. */
export async function auditCount(fixture: CloudFixture): Promise<number> {
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => (await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n);
}
