import type { CloudFixture } from '../support/cloud-fixture';
import { allOrganizations, inTenantScope } from '../../src/db/scope';

/** An audit entry to seed; unset columns are null, `actorType` defaults to user. */
export interface SeedEntry {
  at: string;
  organizationId: string | null;
  siteId?: string | null;
  actorType?: 'user' | 'edge' | 'system';
  actorId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  after?: unknown;
}

/** Inserts audit entries as the owner role with the given times, and returns their ids in order. */
export async function seedAuditEntries(fixture: CloudFixture, entries: SeedEntry[]): Promise<string[]> {
  return inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
    const ids: string[] = [];
    for (const entry of entries) {
      const [row] = await tx<{ id: string }[]>`
        INSERT INTO audit_log (at, organization_id, site_id, actor_type, actor_id, action, target_type, target_id, after)
        VALUES (${new Date(entry.at)}, ${entry.organizationId}, ${entry.siteId ?? null}, ${entry.actorType ?? 'user'}, ${entry.actorId ?? null},
                ${entry.action}, ${entry.targetType}, ${entry.targetId ?? null}, ${entry.after === undefined ? null : tx.json(entry.after as never)})
        RETURNING id`;
      ids.push(row!.id);
    }
    return ids;
  });
}
