import { fileURLToPath } from 'node:url';
import type { AnyPoint } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../src/config/load';
import { withMeterRoles } from '../../src/config/meter-roles';
import { testSiteConfig } from '../api/api-fixture';

describe('withMeterRoles', () => {
  it('sets roles the device map names', () => {
    const [device] = testSiteConfig({
      devices: [
        {
          key: 'meter',
          driver: 'modbus-tcp',
          connection: { host: '127.0.0.1', port: 15031 },
          roles: { powerW: 'grid' },
          points: [
            { key: 'powerW', address: 0, unit: 'W' },
            { key: 'exportWh', address: 2, unit: 'Wh', kind: 'counter', role: 'pv' },
            { key: 'voltageV', address: 4, unit: 'V' },
          ],
        },
      ],
    }).devices;

    const points = withMeterRoles<AnyPoint>(device!, device!.points);

    expect(points.map((point) => [point.key, point.role])).toEqual([
      ['powerW', 'grid'],
      ['exportWh', 'pv'],
      ['voltageV', undefined],
    ]);
  });

  it('rejects an unknown role in the site file', () => {
    expect(() =>
      testSiteConfig({ devices: [{ key: 'meter', driver: 'modbus-tcp', connection: { host: '127.0.0.1', port: 15031 }, roles: { powerW: 'solar' }, points: [] }] }),
    ).toThrow(/roles\.powerW/);
  });

  it('gives the demo meters their roles', () => {
    const demo = loadSiteConfig(fileURLToPath(new URL('../../sites/demo-site.yaml', import.meta.url)));
    const roles = Object.fromEntries(demo.devices.map((device) => [device.key, device.roles]));

    expect(roles['pv-inverter-1']).toEqual({ 'm103.W': 'pv', 'm103.WH': 'pv' });
    expect(roles['pv-inverter-2']).toEqual({ 'm103.W': 'pv', 'm103.WH': 'pv' });
    expect(roles['grid-meter']).toEqual({ 'm203.W': 'grid', 'm203.TotWhImp': 'grid', 'm203.TotWhExp': 'grid-export' });
    expect(roles['house-submeter']).toEqual({ total_power: 'consumption', import_energy: 'consumption' });
  });
});
