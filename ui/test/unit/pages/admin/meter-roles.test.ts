import { meterRoles, type MeterRole } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { buildRolesMap, effectiveRole, mergeMeterPoints, withRolesMap, type HubPoint, type MeterRolePoint, type SiteMeterPoint } from '../../../../src/pages/admin/meter-roles';

const gridRoles: Record<string, MeterRole> = { 'm203.TotWhImp': 'grid-import', 'm203.TotWhExp': 'grid-export' };

describe('buildRolesMap', () => {
  it('sets a role for a new key', () => {
    const roles = buildRolesMap(gridRoles, new Map([['m203.W', 'grid']]));

    expect(roles).toEqual({ 'm203.TotWhImp': 'grid-import', 'm203.TotWhExp': 'grid-export', 'm203.W': 'grid' });
  });

  it('changes one entry and keeps the others', () => {
    const roles = buildRolesMap(gridRoles, new Map([['m203.TotWhImp', 'consumption']]));

    expect(roles['m203.TotWhImp']).toBe('consumption');
    expect(roles['m203.TotWhExp']).toBe('grid-export');
    expect(Object.keys(roles)).toHaveLength(2);
  });

  it('removes a cleared entry and keeps the others', () => {
    const roles = buildRolesMap(gridRoles, new Map([['m203.TotWhImp', null]]));

    expect(roles).toEqual({ 'm203.TotWhExp': 'grid-export' });
  });

  it('starts from no map', () => {
    expect(buildRolesMap(undefined, new Map([['m160.W', 'pv']]))).toEqual({ 'm160.W': 'pv' });
  });

  it('ignores clearing a key without an entry', () => {
    expect(buildRolesMap(gridRoles, new Map([['m203.W', null]]))).toEqual(gridRoles);
  });

  it('leaves the current map unchanged', () => {
    const current = { ...gridRoles };
    buildRolesMap(current, new Map<string, MeterRole | null>([['m203.TotWhImp', null], ['m203.W', 'grid']]));

    expect(current).toEqual(gridRoles);
  });
});

describe('withRolesMap', () => {
  const device = { key: 'grid-meter', enabled: true, roles: { 'm203.W': 'grid' as MeterRole } };

  it('replaces the roles map', () => {
    expect(withRolesMap(device, { 'm203.TotWhImp': 'grid-import' })).toEqual({ key: 'grid-meter', enabled: true, roles: { 'm203.TotWhImp': 'grid-import' } });
  });

  it('drops an empty roles map', () => {
    const saved = withRolesMap(device, {});

    expect(saved).toEqual({ key: 'grid-meter', enabled: true });
    expect('roles' in saved).toBe(false);
  });
});

describe('mergeMeterPoints', () => {
  const hubPoints: HubPoint[] = [
    { key: 'power', name: 'Grid power', unit: 'W', kind: 'gauge', role: 'grid' },
    { key: 'voltage', unit: 'V', kind: 'gauge' },
    { key: 'import', unit: 'kWh', kind: 'counter' },
  ];
  const siteMeters: SiteMeterPoint[] = [
    { id: 'grid-meter.power', name: 'Grid power', unit: 'W', kind: 'gauge', role: 'grid' },
    { id: 'grid-meter.m203.TotWhImp', name: null, unit: 'Wh', kind: 'counter', role: 'grid-import' },
    { id: 'grid-meter.m203.W', name: 'Total power', unit: 'W', kind: 'gauge', role: 'pv' },
    { id: 'grid-meter-2.m203.W', name: null, unit: 'W', kind: 'gauge', role: null },
    { id: 'inverter.m160.W', name: null, unit: 'W', kind: 'gauge', role: 'pv' },
  ];

  it('lists hub points first, then catalog points', () => {
    const keys = mergeMeterPoints('grid-meter', hubPoints, siteMeters, undefined).map((point) => `${point.definedIn}:${point.key}`);

    expect(keys).toEqual(['hub:power', 'hub:import', 'catalog:m203.TotWhImp', 'catalog:m203.W']);
  });

  it('lists a hub point once', () => {
    const points = mergeMeterPoints('grid-meter', hubPoints, siteMeters, undefined);

    expect(points.filter((point) => point.key === 'power')).toHaveLength(1);
    expect(points.find((point) => point.key === 'power')?.definedIn).toBe('hub');
  });

  it('lists a repeated catalog point once', () => {
    const repeated = [...siteMeters, { id: 'grid-meter.m203.W', name: null, unit: 'W', kind: 'gauge', role: null }];

    expect(mergeMeterPoints('grid-meter', [], repeated, undefined).filter((point) => point.key === 'm203.W')).toHaveLength(1);
  });

  it('skips points without a power or energy unit', () => {
    expect(mergeMeterPoints('grid-meter', hubPoints, [], undefined).map((point) => point.key)).not.toContain('voltage');
  });

  it('skips points of other devices', () => {
    const keys = mergeMeterPoints('grid-meter', [], siteMeters, undefined).map((point) => point.key);

    expect(keys).not.toContain('m160.W');
    expect(keys.filter((key) => key === 'm203.W')).toHaveLength(1);
    expect(mergeMeterPoints('grid-meter', [], siteMeters, undefined).find((point) => point.key === 'm203.W')?.name).toBe('Total power');
  });

  it('keeps hub roles and catalog roles without a map entry', () => {
    const points = mergeMeterPoints('grid-meter', hubPoints, siteMeters, undefined);

    expect(points.find((point) => point.key === 'power')?.ownRole).toBe('grid');
    expect(points.find((point) => point.key === 'import')?.ownRole).toBeNull();
    expect(points.find((point) => point.key === 'm203.W')?.ownRole).toBe('pv');
  });

  it('leaves the catalog role unknown behind a map entry', () => {
    const points = mergeMeterPoints('grid-meter', hubPoints, siteMeters, { 'm203.TotWhImp': 'grid-import', power: 'consumption' });

    expect(points.find((point) => point.key === 'm203.TotWhImp')?.ownRole).toBeUndefined();
    expect(points.find((point) => point.key === 'power')?.ownRole).toBe('grid');
  });
});

describe('effectiveRole', () => {
  const hubPoint: MeterRolePoint = { key: 'power', name: null, unit: 'W', kind: 'gauge', definedIn: 'hub', ownRole: 'grid' };
  const catalogPoint: MeterRolePoint = { key: 'm203.W', name: null, unit: 'W', kind: 'gauge', definedIn: 'catalog', ownRole: 'pv' };

  it('prefers the roles map over the point role', () => {
    expect(effectiveRole(hubPoint, 'consumption')).toEqual({ role: 'consumption', source: 'roles-map', overridden: 'grid' });
  });

  it('reports no override for the same role', () => {
    expect(effectiveRole(hubPoint, 'grid')).toEqual({ role: 'grid', source: 'roles-map', overridden: null });
  });

  it('falls back to the point role', () => {
    expect(effectiveRole(hubPoint, null)).toEqual({ role: 'grid', source: 'point', overridden: null });
  });

  it('falls back to the catalog role', () => {
    expect(effectiveRole(catalogPoint, null)).toEqual({ role: 'pv', source: 'catalog', overridden: null });
  });

  it('returns no role without either', () => {
    expect(effectiveRole({ ...catalogPoint, ownRole: undefined }, null)).toEqual({ role: null, source: null, overridden: null });
  });

  it('resolves every role from the map', () => {
    for (const role of meterRoles) expect(effectiveRole(catalogPoint, role).role).toBe(role);
  });
});
