import type { ReportHierarchyNode, ReportMeterInput } from './energy-report-schema';
import type { FlowContribution } from './report-flows';
import { sumOf } from './report-meter-energy';

/**
 * Consumption per node of a site's hierarchy (buildings, areas, systems) from the consumption and EV
 * meters assigned to the nodes, per source bucket.
 */

/** A node of the site's hierarchy as the report input lists it. */
export interface ReportNodeInput {
  id: string;
  parentId: string | null;
  kind: 'building' | 'area' | 'system';
  name: string;
}

export interface HierarchyEnergy {
  /** The report's nodes, in input order, without the site-level fields. */
  nodes: ReportHierarchyNode[];
  /** Sum of the top-level nodes' totals per source bucket. */
  topLevelWh: Float64Array;
  /** Whether any node has a meter, so the top-level sum can stand for the site's consumption. */
  hasMeters: boolean;
  /** Consumption and EV meters whose nodeId names no node of the site. */
  orphanMeterIds: string[];
}

const HIERARCHY_ROLES = new Set(['consumption', 'ev']);

/** A parent cycle among the nodes, and the node of it whose parent the report ignores. */
export interface ParentCycle {
  /** The nodes of the cycle, in the order the parent links go round it from `cut`. */
  nodes: ReportNodeInput[];
  cut: ReportNodeInput;
}

function compareNodes(a: ReportNodeInput, b: ReportNodeInput): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/**
 * Cuts every parent cycle, which the hub should never store: in each cycle, the node first by name and
 * then id gets a null parent, so it counts as top-level and the other nodes of the cycle below it once.
 * A node that is its own parent is a cycle of one. The choice depends only on the nodes, not on their
 * order, so edge and hub cut the same node. Returns the nodes in input order and the cycles found.
 */
export function cutParentCycles(nodes: readonly ReportNodeInput[]): { nodes: ReportNodeInput[]; cycles: ParentCycle[] } {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const walked = new Map<string, 'on-path' | 'done'>();
  const cycles: ParentCycle[] = [];

  for (const start of [...nodes].sort(compareNodes)) {
    const path: ReportNodeInput[] = [];
    let current: ReportNodeInput | undefined = start;
    while (current !== undefined && !walked.has(current.id)) {
      walked.set(current.id, 'on-path');
      path.push(current);
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    if (current !== undefined && walked.get(current.id) === 'on-path') {
      const members = path.slice(path.indexOf(current));
      const cut = [...members].sort(compareNodes)[0]!;
      const at = members.indexOf(cut);
      cycles.push({ nodes: [...members.slice(at), ...members.slice(0, at)], cut });
    }
    for (const node of path) walked.set(node.id, 'done');
  }

  const cutIds = new Set(cycles.map((cycle) => cycle.cut.id));
  return { nodes: nodes.map((node) => (cutIds.has(node.id) ? { ...node, parentId: null } : node)), cycles };
}

/** Returns the report's warning about a parent cycle, naming its nodes by name and id. */
export function parentCycleWarning(cycle: ParentCycle): string {
  const label = (node: ReportNodeInput): string => `"${node.name}" (${node.id})`;
  if (cycle.nodes.length === 1) {
    return `node ${label(cycle.cut)} is its own parent, so the report counts it as top-level: set its parent in the site's hierarchy`;
  }
  return `nodes ${cycle.nodes.map(label).join(', ')} form a parent cycle, so the report counts ${label(cycle.cut)} as top-level: fix their parents in the site's hierarchy`;
}

/**
 * Totals each node per source bucket. A node with meters totals them. When it has child nodes, its
 * `unassignedWh` is what those children do not explain. A node without meters totals its children. A
 * node whose parent is not in the list counts as top-level. The nodes must contain no parent cycle, so cut them with `cutParentCycles`
 * first. A cycle left in raises an Error.
 */
export function hierarchyEnergy(nodes: readonly ReportNodeInput[], meters: readonly ReportMeterInput[], contributions: readonly FlowContribution[], bucketCount: number): HierarchyEnergy {
  const nodeIds = new Set(nodes.map((node) => node.id));
  const children = new Map<string, ReportNodeInput[]>();
  for (const node of nodes) {
    if (node.parentId === null || !nodeIds.has(node.parentId)) continue;
    const siblings = children.get(node.parentId);
    if (siblings === undefined) children.set(node.parentId, [node]);
    else siblings.push(node);
  }

  const meterIds = new Map<string, string[]>();
  const orphanMeterIds: string[] = [];
  for (const meter of meters) {
    if (meter.nodeId === null || meter.role === null || !HIERARCHY_ROLES.has(meter.role)) continue;
    if (!nodeIds.has(meter.nodeId)) orphanMeterIds.push(meter.id);
    else meterIds.set(meter.nodeId, [...(meterIds.get(meter.nodeId) ?? []), meter.id]);
  }

  const meteredByNode = new Map<string, Float64Array>();
  for (const contribution of contributions) {
    const nodeId = contribution.meter.nodeId;
    if (nodeId === null || !nodeIds.has(nodeId) || !HIERARCHY_ROLES.has(contribution.flow)) continue;
    let metered = meteredByNode.get(nodeId);
    if (metered === undefined) {
      metered = new Float64Array(bucketCount);
      meteredByNode.set(nodeId, metered);
    }
    for (let i = 0; i < bucketCount; i++) metered[i]! += contribution.energyWh[i]!;
  }

  const totals = new Map<string, Float64Array>();
  const results = new Map<string, ReportHierarchyNode>();
  const visiting = new Set<string>();
  const totalOf = (node: ReportNodeInput): Float64Array => {
    const done = totals.get(node.id);
    if (done !== undefined) return done;
    if (visiting.has(node.id)) throw new Error(`node "${node.id}" is in a parent cycle: cut the cycles with cutParentCycles first`);
    visiting.add(node.id);

    const childrenWh = new Float64Array(bucketCount);
    for (const child of children.get(node.id) ?? []) {
      const childTotal = totalOf(child);
      for (let i = 0; i < bucketCount; i++) childrenWh[i]! += childTotal[i]!;
    }
    const ownIds = meterIds.get(node.id) ?? [];
    const metered = ownIds.length > 0 ? (meteredByNode.get(node.id) ?? new Float64Array(bucketCount)) : null;
    const total = metered ?? childrenWh;
    const meteredWh = metered === null ? null : sumOf(metered);
    const childrenSumWh = sumOf(childrenWh);
    results.set(node.id, {
      id: node.id,
      parentId: node.parentId,
      kind: node.kind,
      name: node.name,
      meterIds: ownIds,
      meteredWh,
      childrenWh: childrenSumWh,
      totalWh: sumOf(total),
      // A leaf has nothing below it to explain its energy, so nothing of it is unassigned.
      unassignedWh: meteredWh === null || !children.has(node.id) ? 0 : meteredWh - childrenSumWh,
    });
    totals.set(node.id, total);
    visiting.delete(node.id);
    return total;
  };

  const topLevelWh = new Float64Array(bucketCount);
  for (const node of nodes) {
    const total = totalOf(node);
    if (node.parentId !== null && nodeIds.has(node.parentId)) continue;
    for (let i = 0; i < bucketCount; i++) topLevelWh[i]! += total[i]!;
  }

  return {
    nodes: nodes.map((node) => results.get(node.id)!),
    topLevelWh,
    hasMeters: meterIds.size > 0,
    orphanMeterIds,
  };
}
