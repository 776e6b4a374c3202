import { describe, expect, it } from 'vitest';
import { period, powerMeter, report } from './report-fixtures';

const day = period('day', '2026-01-14', 'UTC');
const nodes = [
  { id: 'hall', parentId: null, kind: 'building' as const, name: 'Hall' },
  { id: 'office', parentId: 'hall', kind: 'area' as const, name: 'Office' },
  { id: 'workshop', parentId: 'hall', kind: 'area' as const, name: 'Workshop' },
  { id: 'compressor', parentId: 'workshop', kind: 'system' as const, name: 'Compressor' },
  { id: 'yard', parentId: null, kind: 'area' as const, name: 'Yard' },
];
const constant = (id: string, role: 'consumption' | 'ev' | 'grid', powerW: number, nodeId: string | null = null) =>
  powerMeter({ id, role, unit: 'W', nodeId }, day, () => powerW);

describe('hierarchy', () => {
  // Daily energies: site 72 kWh, office 24 + 2.4 kWh EV, workshop 12 kWh of which the compressor 6 kWh.
  const meters = [
    constant('site.power', 'consumption', 3000),
    constant('office.power', 'consumption', 1000, 'office'),
    constant('charger.power', 'ev', 100, 'office'),
    constant('workshop.power', 'consumption', 500, 'workshop'),
    constant('compressor.power', 'consumption', 250, 'compressor'),
  ];
  const result = report(day, meters, { nodes });
  const node = (id: string) => result.hierarchy.nodes.find((entry) => entry.id === id)!;

  it('totals a node from its meters', () => {
    expect(node('office')).toMatchObject({ meterIds: ['charger.power', 'office.power'], meteredWh: 26_400, childrenWh: 0, totalWh: 26_400, unassignedWh: 0 });
  });

  it('shows what children do not explain', () => {
    expect(node('workshop')).toMatchObject({ meteredWh: 12_000, childrenWh: 6000, totalWh: 12_000, unassignedWh: 6000 });
    expect(node('compressor')).toMatchObject({ meteredWh: 6000, totalWh: 6000, unassignedWh: 0 });
  });

  it('totals a node without meters from its children', () => {
    expect(node('hall')).toMatchObject({ meterIds: [], meteredWh: null, childrenWh: 38_400, totalWh: 38_400, unassignedWh: 0 });
    expect(node('yard')).toMatchObject({ meteredWh: null, totalWh: 0 });
  });

  it('leaves the site remainder unassigned', () => {
    expect(result.consumptionSource).toBe('meter');
    expect(result.hierarchy.siteConsumptionWh).toBe(72_000);
    expect(result.hierarchy.assignedWh).toBe(38_400);
    expect(result.hierarchy.unassignedWh).toBe(33_600);
    expect(result.totals.evWh).toBe(2400);
    expect(result.hierarchy.nodes.map((entry) => entry.id)).toEqual(['hall', 'office', 'workshop', 'compressor', 'yard']);
  });

  it('orders nodes as a tree whatever the input order', () => {
    const reversed = report(day, meters, { nodes: [...nodes].reverse() });
    expect(reversed.hierarchy.nodes.map((entry) => entry.id)).toEqual(['hall', 'office', 'workshop', 'compressor', 'yard']);
  });

  it('warns about a meter on an unknown node', () => {
    const withOrphan = report(day, [...meters, constant('shed.power', 'consumption', 100, 'shed')], { nodes });

    expect(withOrphan.hierarchy.assignedWh).toBe(38_400);
    expect(withOrphan.warnings).toContain('meter "shed.power" is assigned to a node that is not in the site\'s hierarchy, so no node counts it: move its device to an existing node');
  });

  it('compares nodes with the grid balance', () => {
    const balance = report(day, [constant('grid.power', 'grid', 2000), constant('office.power', 'consumption', 1000, 'office')], { nodes });

    expect(balance.consumptionSource).toBe('balance');
    expect(balance.hierarchy.siteConsumptionWh).toBe(48_000);
    expect(balance.hierarchy.unassignedWh).toBe(24_000);
  });
});

describe('hierarchy with a parent cycle', () => {
  const meters = [constant('a.power', 'consumption', 1000, 'n1'), constant('b.power', 'consumption', 500, 'n3')];
  const cyclic = [
    { id: 'n1', parentId: 'n2', kind: 'building' as const, name: 'A' },
    { id: 'n2', parentId: 'n1', kind: 'area' as const, name: 'B' },
    { id: 'n3', parentId: 'n3', kind: 'system' as const, name: 'C' },
  ];
  const result = report(day, meters, { nodes: cyclic });
  const node = (id: string) => result.hierarchy.nodes.find((entry) => entry.id === id)!;

  it('warns naming the nodes', () => {
    expect(result.consumptionSource).toBe('nodes');
    expect(result.warnings).toContain('nodes "A" (n1), "B" (n2) form a parent cycle, so the report counts "A" (n1) as top-level: fix their parents in the site\'s hierarchy');
    expect(result.warnings).toContain('node "C" (n3) is its own parent, so the report counts it as top-level: set its parent in the site\'s hierarchy');
  });

  it('counts the metered nodes once', () => {
    // 24 kWh at n1 and 12 kWh at n3; the cycle once dropped all of it to 0.
    expect(result.totals.consumptionWh).toBeCloseTo(36_000, 6);
    expect(result.hierarchy.assignedWh).toBeCloseTo(36_000, 6);
  });

  it('cuts the cycle at the first node by name', () => {
    expect(node('n1')).toMatchObject({ parentId: null, meteredWh: 24_000, childrenWh: 0, totalWh: 24_000 });
    expect(node('n2')).toMatchObject({ parentId: 'n1', meteredWh: null, totalWh: 0 });
    expect(result.hierarchy.nodes.map((entry) => entry.id)).toEqual(['n1', 'n2', 'n3']);
  });

  it('cuts the same node whatever the input order', () => {
    const reversed = report(day, meters, { nodes: [...cyclic].reverse() });

    expect(reversed.hierarchy.nodes).toEqual(result.hierarchy.nodes);
    expect(reversed.warnings).toEqual(result.warnings);
  });

  it('leaves a self parent nothing unassigned', () => {
    expect(node('n3').parentId).toBeNull();
    expect(node('n3').meteredWh).toBeCloseTo(12_000, 6);
    expect(node('n3').childrenWh).toBe(0);
    expect(node('n3').unassignedWh).toBe(0);
  });
});
