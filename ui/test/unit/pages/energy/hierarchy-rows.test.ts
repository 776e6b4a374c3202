import type { ReportHierarchyNode } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { hierarchyRows, type HierarchyRow } from '../../../../src/components/energy/hierarchy-rows';
import { makeReport } from './energy-fixture';

function node(id: string, parentId: string | null, unassignedWh = 0): ReportHierarchyNode {
  return { id, parentId, kind: 'area', name: id, meterIds: [], meteredWh: null, childrenWh: 0, totalWh: 0, unassignedWh };
}

function describeRow(row: HierarchyRow): string {
  if (row.type === 'node') return `${row.depth}:${row.node.id}`;
  if (row.type === 'unassigned') return `${row.depth}:unassigned in ${row.parent.id}=${row.energyWh}`;
  return `site unassigned=${row.energyWh}`;
}

describe('hierarchyRows', () => {
  it('lists nodes depth first with the unassigned remainders', () => {
    const rows = hierarchyRows(makeReport().hierarchy);

    expect(rows.map(describeRow)).toEqual(['0:b1', '1:a1', '1:unassigned in b1=10000', 'site unassigned=4000']);
  });

  it('keeps the site row at zero', () => {
    const rows = hierarchyRows({ siteConsumptionWh: 0, assignedWh: 0, unassignedWh: 0, nodes: [] });

    expect(rows.map(describeRow)).toEqual(['site unassigned=0']);
  });

  it('shows a negative remainder', () => {
    const rows = hierarchyRows({ siteConsumptionWh: 10, assignedWh: 12, unassignedWh: -2, nodes: [node('a', null, -5), node('b', 'a')] });

    expect(rows.map(describeRow)).toEqual(['0:a', '1:b', '1:unassigned in a=-5', 'site unassigned=-2']);
  });

  it('lists a node with an unknown parent at the top', () => {
    const rows = hierarchyRows({ siteConsumptionWh: 0, assignedWh: 0, unassignedWh: 0, nodes: [node('orphan', 'gone'), node('root', null)] });

    expect(rows.map(describeRow)).toEqual(['0:orphan', '0:root', 'site unassigned=0']);
  });

  it('adds no remainder row to a leaf', () => {
    const rows = hierarchyRows({ siteConsumptionWh: 0, assignedWh: 0, unassignedWh: 0, nodes: [node('leaf', null, 7)] });

    expect(rows.map(describeRow)).toEqual(['0:leaf', 'site unassigned=0']);
  });
});
