import type { SiteKpis } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { isRolePowerPoint, liveSiteKpis, meterReadings } from '../../../../src/components/site/live-kpis';
import { makePoint, reading } from './site-fixture';

const server: SiteKpis = {
  gridPowerW: { value: 100, quality: 'good' },
  pvPowerW: { value: 200, quality: 'good' },
  consumptionW: { value: 300, quality: 'good' },
  consumptionSource: 'balance',
  energyToday: { consumedWh: 5_000, pvWh: 2_000, gridImportWh: 3_000 },
};

describe('isRolePowerPoint', () => {
  it('needs a role and a power unit', () => {
    expect(isRolePowerPoint(makePoint('m', 'W', { role: 'grid' }))).toBe(true);
    expect(isRolePowerPoint(makePoint('m', 'kW', { role: 'pv', unit: 'kW' }))).toBe(true);
    expect(isRolePowerPoint(makePoint('m', 'WH', { role: 'grid', unit: 'Wh' }))).toBe(false);
    expect(isRolePowerPoint(makePoint('m', 'W'))).toBe(false);
  });
});

describe('meterReadings', () => {
  it('takes the live reading over the loaded one', () => {
    const points = [makePoint('m', 'W', { role: 'grid', reading: reading(1) })];

    expect(meterReadings(points, { 'm.W': reading(7, 'stale') })).toEqual([{ role: 'grid', unit: 'W', value: 7, quality: 'stale' }]);
  });

  it('reports a point without reading as unknown', () => {
    expect(meterReadings([makePoint('m', 'W', { role: 'pv' })], {})).toEqual([{ role: 'pv', unit: 'W', value: null, quality: null }]);
  });
});

describe('liveSiteKpis', () => {
  it('returns the server KPIs when no point has a power role', () => {
    expect(liveSiteKpis(server, [makePoint('m', 'W')], {})).toBe(server);
  });

  it('recomputes power from live values and keeps energy today', () => {
    const points = [makePoint('grid', 'W', { role: 'grid' }), makePoint('pv', 'W', { role: 'pv', unit: 'kW' })];
    const kpis = liveSiteKpis(server, points, { 'grid.W': reading(-500), 'pv.W': reading(2) });

    expect(kpis.gridPowerW).toEqual({ value: -500, quality: 'good' });
    expect(kpis.pvPowerW).toEqual({ value: 2_000, quality: 'good' });
    expect(kpis.consumptionW.value).toBe(1_500);
    expect(kpis.consumptionSource).toBe('balance');
    expect(kpis.energyToday).toEqual(server.energyToday);
  });

  it('carries the worst quality into the figure', () => {
    const points = [makePoint('pv1', 'W', { role: 'pv' }), makePoint('pv2', 'W', { role: 'pv' })];
    const kpis = liveSiteKpis(server, points, { 'pv1.W': reading(1), 'pv2.W': reading(2, 'stale') });

    expect(kpis.pvPowerW).toEqual({ value: 3, quality: 'stale' });
  });
});
