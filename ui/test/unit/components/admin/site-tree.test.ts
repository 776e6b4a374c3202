import { describe, expect, it } from 'vitest';
import { buildTree, flattenTree, mayNest, optionLabel, parentOptions, subtreeIds, type SiteNode, type SiteNodeKind } from '../../../../src/components/admin/site-tree';

const node = (id: string, kind: SiteNodeKind, parentId: string | null, name = id): SiteNode => ({
  id,
  organizationId: 'org',
  siteId: 'site',
  parentId,
  kind,
  name,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** Hall B and Hall A at the top, an area in Hall A with a system inside it, and a system at the top. */
const nodes = [
  node('hall-b', 'building', null, 'Hall B'),
  node('hall-a', 'building', null, 'Hall A'),
  node('floor', 'area', 'hall-a', 'Ground floor'),
  node('hvac', 'system', 'floor', 'HVAC'),
  node('pv', 'system', null, 'PV plant'),
];

describe('mayNest', () => {
  it.each([
    ['building', null, true],
    ['building', 'building', false],
    ['area', null, true],
    ['area', 'building', true],
    ['area', 'area', true],
    ['area', 'system', false],
    ['system', null, true],
    ['system', 'building', true],
    ['system', 'system', true],
  ] as const)('a %s under %s is %s', (kind, parentKind, allowed) => {
    expect(mayNest(kind, parentKind)).toBe(allowed);
  });
});

describe('buildTree', () => {
  it('nests nodes sorted by name', () => {
    const tree = buildTree(nodes);

    expect(tree.map((entry) => entry.node.name)).toEqual(['Hall A', 'Hall B', 'PV plant']);
    expect(tree[0]!.children.map((entry) => entry.node.id)).toEqual(['floor']);
    expect(tree[0]!.children[0]!.children.map((entry) => entry.node.id)).toEqual(['hvac']);
    expect(tree[0]!.children[0]!.children[0]!.depth).toBe(2);
  });

  it('puts orphans at the top level', () => {
    const tree = buildTree([node('lost', 'area', 'deleted-parent', 'Lost area')]);

    expect(tree.map((entry) => entry.node.id)).toEqual(['lost']);
    expect(tree[0]!.depth).toBe(0);
  });
});

describe('flattenTree', () => {
  it('lists nodes depth-first', () => {
    expect(flattenTree(buildTree(nodes)).map((entry) => entry.node.id)).toEqual(['hall-a', 'floor', 'hvac', 'hall-b', 'pv']);
  });
});

describe('subtreeIds', () => {
  it('contains the node and its descendants', () => {
    expect([...subtreeIds(nodes, 'hall-a')].sort()).toEqual(['floor', 'hall-a', 'hvac']);
  });

  it('contains only a leaf itself', () => {
    expect([...subtreeIds(nodes, 'pv')]).toEqual(['pv']);
  });
});

describe('parentOptions', () => {
  it('offers no parent to a building', () => {
    expect(parentOptions(nodes, 'building')).toEqual([]);
  });

  it('offers buildings and areas to an area', () => {
    expect(parentOptions(nodes, 'area').map((entry) => entry.node.id)).toEqual(['hall-a', 'floor', 'hall-b']);
  });

  it('excludes the moved node and its descendants', () => {
    expect(parentOptions(nodes, 'area', 'floor').map((entry) => entry.node.id)).toEqual(['hall-a', 'hall-b']);
  });

  it('offers every node to a system', () => {
    expect(parentOptions(nodes, 'system', 'pv').map((entry) => entry.node.id)).toEqual(['hall-a', 'floor', 'hvac', 'hall-b']);
  });
});

describe('optionLabel', () => {
  it('indents by depth and names the kind', () => {
    const hvac = flattenTree(buildTree(nodes)).find((entry) => entry.node.id === 'hvac')!;

    expect(optionLabel(hvac)).toBe('\u00a0\u00a0\u00a0\u00a0HVAC (System)');
  });
});
