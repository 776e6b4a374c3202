import { describe, expect, it } from 'vitest';
import { consumptionPowerW, rolePowerW, sumSeriesW } from '../../../../src/components/site/power-series';
import { makePoint } from './site-fixture';

const samples = (...pairs: [number, number][]) => pairs.map(([ts, value]) => ({ ts, value }));

describe('sumSeriesW', () => {
  it('returns nothing for no series', () => {
    expect(sumSeriesW([])).toEqual([]);
  });

  it('scales one series to watts', () => {
    expect(sumSeriesW([{ samples: samples([1, 2], [2, 3]), watts: 1_000 }])).toEqual([
      { x: 1, y: 2_000 },
      { x: 2, y: 3_000 },
    ]);
  });

  it('keeps each last value between samples', () => {
    const sum = sumSeriesW([
      { samples: samples([1, 10], [3, 20]), watts: 1 },
      { samples: samples([2, 1], [4, 2]), watts: 1 },
    ]);

    expect(sum).toEqual([
      { x: 2, y: 11 },
      { x: 3, y: 21 },
      { x: 4, y: 22 },
    ]);
  });

  it('starts only when every series has a value', () => {
    const sum = sumSeriesW([{ samples: samples([1, 10]), watts: 1 }, { samples: [], watts: 1 }]);

    expect(sum).toEqual([]);
  });
});

describe('rolePowerW', () => {
  it('sums only the requested roles', () => {
    const points = [makePoint('pv1', 'W', { role: 'pv' }), makePoint('pv2', 'W', { role: 'pv', unit: 'kW' }), makePoint('grid', 'W', { role: 'grid' })];
    const series: Record<string, { ts: number; value: number }[]> = { 'pv1.W': samples([1, 100]), 'pv2.W': samples([1, 1]), 'grid.W': samples([1, 5]) };

    expect(rolePowerW(points, ['pv'], (id) => series[id] ?? [])).toEqual([{ x: 1, y: 1_100 }]);
  });
});

describe('consumptionPowerW', () => {
  const series: Record<string, { ts: number; value: number }[]> = {
    'grid.W': samples([1, 300]),
    'pv.W': samples([1, 200]),
    'load.W': samples([1, 450]),
  };
  const seriesOf = (id: string) => series[id] ?? [];

  it('uses consumption meters where the site has them', () => {
    const points = [makePoint('grid', 'W', { role: 'grid' }), makePoint('pv', 'W', { role: 'pv' }), makePoint('load', 'W', { role: 'consumption' })];

    expect(consumptionPowerW(points, seriesOf)).toEqual([{ x: 1, y: 450 }]);
  });

  it('falls back to the balance of grid and PV', () => {
    const points = [makePoint('grid', 'W', { role: 'grid' }), makePoint('pv', 'W', { role: 'pv' })];

    expect(consumptionPowerW(points, seriesOf)).toEqual([{ x: 1, y: 500 }]);
  });
});
