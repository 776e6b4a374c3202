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

/** A device of the site as the hub syncs it, with the parts of its config that the edge reads. */
export interface SyncedDevice {
  id: string;
  key: string;
  nodeId: string | null;
  /** The device's `roles` map from point key to meter role, not checked yet. Null when its config has no `roles` object. */
  roles: Record<string, unknown> | null;
}

/** Reads the synced `cloud_devices` rows. An edge that is not paired, or has not synced yet, has none. */
export function readSyncedDevices(db: SqliteDatabase): SyncedDevice[] {
  return db
    .prepare<[], { id: string; key: string; node_id: string | null; roles: string | null }>(
      `SELECT id, key, node_id, CASE WHEN json_type(config, '$.roles') = 'object' THEN json_extract(config, '$.roles') END AS roles FROM cloud_devices`,
    )
    .all()
    .map((row) => ({ id: row.id, key: row.key, nodeId: row.node_id, roles: row.roles === null ? null : (JSON.parse(row.roles) as Record<string, unknown>) }));
}

/**
 * Reads the hierarchy from the tables the hub's shapes fill. An edge that is not paired, or has not
 * synced yet, has no nodes, and every device maps to null. A caller that has read `synced` already
 * passes it in, so the devices are read once.
 */
export function readSiteHierarchy(db: SqliteDatabase, deviceKeys: readonly string[], synced: readonly SyncedDevice[] = readSyncedDevices(db)): SiteHierarchy {
  // The shape consumer validated every row against the shape's schema before storing it.
  const nodes = db
    .prepare<[], { id: string; parent_id: string | null; kind: HierarchyNodeKind; name: string }>('SELECT id, parent_id, kind, name FROM cloud_site_nodes ORDER BY name, id')
    .all()
    .map((row) => ({ id: row.id, parentId: row.parent_id, kind: row.kind, name: row.name }));
  const placed = new Map(synced.map((device) => [device.key, device.nodeId]));
  const knownNodes = new Set(nodes.map((node) => node.id));
  // Shapes sync independently, so a device can name a node that has not arrived yet. It counts as not placed.
  const deviceNodes = new Map<string, string | null>();
  for (const key of deviceKeys) {
    const nodeId = placed.get(key) ?? null;
    deviceNodes.set(key, nodeId !== null && knownNodes.has(nodeId) ? nodeId : null);
  }
  return { nodes, deviceNodes };
}
