import type { SiteDevice, SiteNode } from '../../site/site-api';

/** A building, area or system with what sits below it. */
export interface SiteTreeBranch {
  node: SiteNode;
  branches: SiteTreeBranch[];
  devices: SiteDevice[];
}

/** The hierarchy below a site: nodes under their parents and devices under their nodes. */
export interface SiteTree {
  branches: SiteTreeBranch[];
  /** Devices without a node, or whose node is not in the list, which sit directly under the site. */
  devices: SiteDevice[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * Builds the navigation tree from flat node and device lists. A node whose parent is unknown, or whose
 * parent chain loops back to itself, is placed directly under the site, so no node is ever lost.
 */
export function buildSiteTree(nodes: readonly SiteNode[], devices: readonly SiteDevice[]): SiteTree {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const branches = new Map<string, SiteTreeBranch>(nodes.map((node) => [node.id, { node, branches: [], devices: [] }]));
  const tree: SiteTree = { branches: [], devices: [] };

  for (const node of nodes) {
    const branch = branches.get(node.id)!;
    const parent = node.parentId === null || loopsBack(node, byId) ? undefined : branches.get(node.parentId);
    (parent ? parent.branches : tree.branches).push(branch);
  }
  for (const device of devices) {
    const branch = device.nodeId === null ? undefined : branches.get(device.nodeId);
    (branch ? branch.devices : tree.devices).push(device);
  }

  sortTree(tree.branches);
  tree.devices.sort(byName);
  return tree;
}

/** Returns whether following parents from `node` comes back to it. */
function loopsBack(node: SiteNode, byId: ReadonlyMap<string, SiteNode>): boolean {
  const seen = new Set<string>([node.id]);
  let parentId = node.parentId;
  while (parentId !== null) {
    // A loop further up that does not include `node` is cut at its own members instead.
    if (seen.has(parentId)) return parentId === node.id;
    seen.add(parentId);
    parentId = byId.get(parentId)?.parentId ?? null;
  }
  return false;
}

function sortTree(branches: SiteTreeBranch[]): void {
  branches.sort((a, b) => byName(a.node, b.node));
  for (const branch of branches) {
    branch.devices.sort(byName);
    sortTree(branch.branches);
  }
}
