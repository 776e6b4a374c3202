import type { ReportHierarchy, ReportHierarchyNode } from '@simtestlab/sync';

/** One row of the hierarchy table: a node at its depth, or an unassigned remainder below a node or the site. */
export type HierarchyRow =
  | { type: 'node'; node: ReportHierarchyNode; depth: number }
  | { type: 'unassigned'; parent: ReportHierarchyNode; depth: number; energyWh: number }
  | { type: 'site-unassigned'; depth: 0; energyWh: number };

/**
 * Flattens the hierarchy into table rows, depth first in the report's order. A node whose own meters
 * record more than its children explain gets an "Unassigned" row below its children, and the site's
 * remainder is always the last row, even at 0, so the reader sees that nothing was hidden. A node whose
 * parent is not in the report is listed at the top level.
 */
export function hierarchyRows(hierarchy: ReportHierarchy): HierarchyRow[] {
  const ids = new Set(hierarchy.nodes.map((node) => node.id));
  const children = new Map<string | null, ReportHierarchyNode[]>();
  for (const node of hierarchy.nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }

  const rows: HierarchyRow[] = [];
  const visit = (node: ReportHierarchyNode, depth: number): void => {
    rows.push({ type: 'node', node, depth });
    const below = children.get(node.id) ?? [];
    for (const child of below) visit(child, depth + 1);
    if (below.length > 0 && node.unassignedWh !== 0) rows.push({ type: 'unassigned', parent: node, depth: depth + 1, energyWh: node.unassignedWh });
  };
  for (const node of children.get(null) ?? []) visit(node, 0);
  rows.push({ type: 'site-unassigned', depth: 0, energyWh: hierarchy.unassignedWh });
  return rows;
}
