import type { shapeRowSchemas } from '@simtestlab/sync';
import type { z } from 'zod';
import type { SqliteDatabase } from '../store/database';

export type HierarchyNodeKind = z.infer<(typeof shapeRowSchemas)['site_nodes']>['kind'];

/** A node of the site's hierarchy (building, area, system), as the hub syncs it. */
export interface HierarchyNode {
  id: string;
  parentId: string | null;
  kind: HierarchyNodeKind;
  name: string;
}

/** The synced hierarchy, and for each device of the site the node it is placed under. */
export interface SiteHierarchy {
  nodes: HierarchyNode[];
  /** Node id by device key; null for a device the hub has not placed or does not know. */
  deviceNodes: Map<string, string | null>;
}

/**
 * Reads the hierarchy from the tables the hub's shapes fill. An edge that is not paired, or has not
 * synced yet, has no nodes, and every device maps to null.
 */
export function readSiteHierarchy(db: SqliteDatabase, deviceKeys: readonly string[]): SiteHierarchy {
  // The shape consumer validated every row against the shape's schema before storing it.
  const nodes = db
    .prepare<[], { id: string; parent_id: string | null; kind: HierarchyNodeKind; name: string }>('SELECT id, parent_id, kind, name FROM cloud_site_nodes ORDER BY name, id')
    .all()
    .map((row) => ({ id: row.id, parentId: row.parent_id, kind: row.kind, name: row.name }));
  const placed = new Map(
    db
      .prepare<[], { key: string; node_id: string | null }>('SELECT key, node_id FROM cloud_devices')
      .all()
      .map((row) => [row.key, row.node_id]),
  );
  const knownNodes = new Set(nodes.map((node) => node.id));
  // Shapes sync independently, so a device can name a node that has not arrived yet. It counts as not placed.
  const deviceNodes = new Map<string, string | null>();
  for (const key of deviceKeys) {
    const nodeId = placed.get(key) ?? null;
    deviceNodes.set(key, nodeId !== null && knownNodes.has(nodeId) ? nodeId : null);
  }
  return { nodes, deviceNodes };
}
