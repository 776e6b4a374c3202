import { mayNest, siteNodeKinds } from '@simtestlab/sync';
import type { components } from '../../api/generated/cloud-api';

export type SiteNode = components['schemas']['SiteNode'];
export type SiteNodeKind = components['schemas']['SiteNodeKind'];

/** A node of the site hierarchy with its children, sorted by name. */
export interface TreeNode {
  node: SiteNode;
  depth: number;
  children: TreeNode[];
}

/** The hub's nesting rule, so the forms offer only valid places; the hub checks it again. */
export { mayNest, siteNodeKinds as nodeKinds };

/** Builds the forest of a site's flat node list; a node whose parent is missing goes to the top level. */
export function buildTree(nodes: readonly SiteNode[]): TreeNode[] {
  const ids = new Set(nodes.map((node) => node.id));
  const byParent = new Map<string | null, SiteNode[]>();
  for (const node of nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), node]);
  }
  const grow = (parentId: string | null, depth: number): TreeNode[] =>
    (byParent.get(parentId) ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((node) => ({ node, depth, children: grow(node.id, depth + 1) }));
  return grow(null, 0);
}

/** Lists the tree depth-first, the order of an indented select. */
export function flattenTree(tree: readonly TreeNode[]): TreeNode[] {
  return tree.flatMap((entry) => [entry, ...flattenTree(entry.children)]);
}

/** Returns the ids of a node and all its descendants, which can never become its parent. */
export function subtreeIds(nodes: readonly SiteNode[], rootId: string): Set<string> {
  const result = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (node.parentId !== null && result.has(node.parentId) && !result.has(node.id)) {
        result.add(node.id);
        grew = true;
      }
    }
  }
  return result;
}

/** Lists the nodes a node of `kind` may sit under, depth-first. `moving` excludes that node's own subtree. */
export function parentOptions(nodes: readonly SiteNode[], kind: SiteNodeKind, moving?: string): TreeNode[] {
  const excluded = moving ? subtreeIds(nodes, moving) : new Set<string>();
  return flattenTree(buildTree(nodes)).filter((entry) => !excluded.has(entry.node.id) && mayNest(kind, entry.node.kind));
}

const kindLabels: Record<SiteNodeKind, string> = { building: 'Building', area: 'Area', system: 'System' };

export function kindLabel(kind: SiteNodeKind): string {
  return kindLabels[kind];
}

/** Formats a node's label in a select: indented by depth, with its kind. */
export function optionLabel(entry: TreeNode): string {
  return `${'\u00a0\u00a0'.repeat(entry.depth)}${entry.node.name} (${kindLabel(entry.node.kind)})`;
}
