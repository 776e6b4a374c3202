import { describe, expect, it } from 'vitest';
import { buildSiteTree } from '../../../../src/components/layout/site-tree';
import type { SiteNode } from '../../../../src/site/site-api';
import { makeDevice } from '../site/site-fixture';

const node = (id: string, parentId: string | null, name = id): SiteNode => ({ id, parentId, name, kind: 'building' });

describe('buildSiteTree', () => {
  it('nests nodes under their parents and devices under their nodes', () => {
    const tree = buildSiteTree([node('b1', null), node('s1', 'b1')], [makeDevice('pv', { nodeId: 's1' }), makeDevice('meter', { nodeId: 'b1' })]);

    expect(tree.branches.map((branch) => branch.node.id)).toEqual(['b1']);
    expect(tree.branches[0]!.devices.map((device) => device.key)).toEqual(['meter']);
    expect(tree.branches[0]!.branches[0]!.devices.map((device) => device.key)).toEqual(['pv']);
    expect(tree.devices).toEqual([]);
  });

  it('puts devices without a node directly under the site', () => {
    const tree = buildSiteTree([], [makeDevice('weather')]);

    expect(tree.devices.map((device) => device.key)).toEqual(['weather']);
  });

  it('puts devices of an unknown node directly under the site', () => {
    const tree = buildSiteTree([node('b1', null)], [makeDevice('pv', { nodeId: 'gone' })]);

    expect(tree.devices.map((device) => device.key)).toEqual(['pv']);
    expect(tree.branches[0]!.devices).toEqual([]);
  });

  it('puts a node with an unknown parent under the site', () => {
    const tree = buildSiteTree([node('s1', 'gone')], []);

    expect(tree.branches.map((branch) => branch.node.id)).toEqual(['s1']);
  });

  it('keeps nodes of a parent loop at the site instead of losing them', () => {
    const tree = buildSiteTree([node('a', 'b'), node('b', 'a'), node('c', 'a')], []);

    expect(tree.branches.map((branch) => branch.node.id).sort()).toEqual(['a', 'b']);
    expect(tree.branches.find((branch) => branch.node.id === 'a')!.branches.map((branch) => branch.node.id)).toEqual(['c']);
  });

  it('sorts nodes and devices by name', () => {
    const tree = buildSiteTree([node('x', null, 'Workshop'), node('y', null, 'Office')], [makeDevice('z', { name: 'Zeta' }), makeDevice('a', { name: 'Alpha' })]);

    expect(tree.branches.map((branch) => branch.node.name)).toEqual(['Office', 'Workshop']);
    expect(tree.devices.map((device) => device.name)).toEqual(['Alpha', 'Zeta']);
  });
});
