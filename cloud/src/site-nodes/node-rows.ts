import type { SiteNodeKind } from './schemas';

/** A row of the site_nodes table as the queries select it. */
export interface SiteNodeRow {
  id: string;
  organization_id: string;
  site_id: string;
  parent_id: string | null;
  kind: SiteNodeKind;
  name: string;
  created_at: Date;
  updated_at: Date;
}

export const SITE_NODE_COLUMNS = ['id', 'organization_id', 'site_id', 'parent_id', 'kind', 'name', 'created_at', 'updated_at'];

/** Converts a site node row to its API shape. */
export function toSiteNode(row: SiteNodeRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    siteId: row.site_id,
    parentId: row.parent_id,
    kind: row.kind,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Returns the audited state of a node: its kind, name and parent, without timestamps. */
export function siteNodeAuditState(row: Pick<SiteNodeRow, 'kind' | 'name' | 'parent_id'>) {
  return { kind: row.kind, name: row.name, parentId: row.parent_id };
}
