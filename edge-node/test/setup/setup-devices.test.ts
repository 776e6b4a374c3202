import { describe, expect, it } from 'vitest';
import { resolveSiteConfig } from '../../src/config/load';
import { SetupError } from '../../src/setup/setup-errors';
import { devicePicksToFileDevices, type DevicePick } from '../../src/setup/setup-devices';
import { listSetupTemplates } from '../../src/setup/setup-templates';

/* Device picks of the setup page turned into site-file entries, checked by the real site file loader. */

const templates = listSetupTemplates();

function convert(picks: DevicePick[]) {
  return devicePicksToFileDevices(picks, templates);
}

function fieldOf(picks: DevicePick[]): string | undefined {
  try {
    convert(picks);
  } catch (error) {
    if (error instanceof SetupError) return error.parameter;
    throw error;
  }
  return undefined;
}

describe('setup device picks', () => {
  it('writes Modbus and BACnet entries', () => {
    const devices = convert([
      { name: 'PV inverter', template: 'sunspec', protocol: 'modbus-tcp', host: '192.0.2.10', port: 502, unitId: 3 },
      { name: 'Air handler', template: 'flexlab-ahu', protocol: 'bacnet', address: '192.0.2.20', port: 47808, deviceInstance: 2001 },
      { name: 'Local AHU', template: 'flexlab-ahu', protocol: 'bacnet', address: '127.0.0.1', port: 47809, deviceInstance: 2002 },
    ]);

    expect(devices).toEqual([
      { key: 'pv-inverter', name: 'PV inverter', driver: 'modbus-tcp', template: 'sunspec', connection: { host: '192.0.2.10', port: 502, unitId: 3 } },
      { key: 'air-handler', name: 'Air handler', driver: 'bacnet', template: 'flexlab-ahu', connection: { deviceInstance: 2001, address: '192.0.2.20:47808', localPort: 47808 } },
      { key: 'local-ahu', name: 'Local AHU', driver: 'bacnet', template: 'flexlab-ahu', connection: { deviceInstance: 2002, address: '127.0.0.1:47809', localPort: 47810 } },
    ]);
  });

  it('produces a loadable site file', () => {
    const devices = convert([
      { name: 'Meter', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: 'meter.local', port: 502 },
      { name: 'Air handler', template: 'flexlab-ahu', protocol: 'bacnet', address: '192.0.2.20', port: 47808, deviceInstance: 2001 },
    ]);

    const config = resolveSiteConfig({ site: { id: 'depot', name: 'Depot', timeZone: 'UTC' }, devices });

    expect(config.devices.map((device) => device.driver)).toEqual(['modbus-tcp', 'bacnet']);
    expect(config.devices[0]!.points.length).toBeGreaterThan(10);
    expect(config.devices[1]!.points.length).toBeGreaterThan(10);
  });

  it('makes derived keys unique', () => {
    const devices = convert([
      { key: 'meter', name: 'Given key', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '192.0.2.1', port: 502 },
      { name: 'Meter', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '192.0.2.2', port: 502 },
      { name: 'Meter', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '192.0.2.3', port: 502 },
      { name: '???', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '192.0.2.4', port: 502 },
    ]);

    expect(devices.map((device) => device.key)).toEqual(['meter', 'meter-2', 'meter-3', 'device']);
  });

  const meter: DevicePick = { name: 'Meter', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '192.0.2.1', port: 502 };
  const cases: [string, DevicePick, string][] = [
    ['a template of the other protocol', { ...meter, template: 'flexlab-ahu' }, 'devices[0].template'],
    ['a missing host', { ...meter, host: undefined }, 'devices[0].host'],
    ['a host with a space', { ...meter, host: 'a host' }, 'devices[0].host'],
    ['port 0', { ...meter, port: 0 }, 'devices[0].port'],
    ['unit id 256', { ...meter, unitId: 256 }, 'devices[0].unitId'],
    ['an empty name', { ...meter, name: ' ' }, 'devices[0].name'],
    ['a key with a dot', { ...meter, key: 'a.b' }, 'devices[0].key'],
    ['a BACnet instance of 2^22', { name: 'AHU', template: 'flexlab-ahu', protocol: 'bacnet', address: '192.0.2.20', port: 47808, deviceInstance: 4_194_304 }, 'devices[0].deviceInstance'],
  ];
  it.each(cases)('rejects %s', (_case, pick, field) => {
    expect(fieldOf([pick])).toBe(field);
  });

  it('rejects a duplicate given key', () => {
    expect(fieldOf([{ ...meter, key: 'meter' }, { ...meter, key: 'meter' }])).toBe('devices[1].key');
  });
  const duplicates: [string, DevicePick[], string][] = [
    ['Modbus host, port and unit', [meter, { ...meter, name: 'Meter again' }], 'Modbus TCP 192.0.2.1:502 unit 1 is already devices[0] ("Meter")'],
    ['Modbus host in other case', [{ ...meter, host: 'meter.local' }, { ...meter, name: 'Meter again', host: 'METER.local' }], 'is already devices[0]'],
    [
      'BACnet address and instance',
      [
        { name: 'AHU', template: 'flexlab-ahu', protocol: 'bacnet', address: '192.0.2.20', port: 47808, deviceInstance: 2001 },
        { name: 'AHU again', template: 'flexlab-ahu', protocol: 'bacnet', address: '192.0.2.20', port: 47808, deviceInstance: 2001 },
      ],
      'BACnet 192.0.2.20:47808 instance 2001 is already devices[0] ("AHU")',
    ],
  ];
  it.each(duplicates)('rejects the same device twice: %s', (_case, picks, message) => {
    expect(() => convert(picks)).toThrow(message);
    expect(fieldOf(picks)).toBe('devices[1]');
  });

  it('accepts two units behind one Modbus gateway', () => {
    const devices = convert([meter, { ...meter, name: 'Meter 2', unitId: 2 }]);

    expect(devices.map((device) => device.key)).toEqual(['meter', 'meter-2']);
  });

  it('rejects a device name with a line break', () => {
    expect(() => convert([{ ...meter, name: 'Meter\nEvil' }])).toThrow('devices[0].name: contains the control character U+000A');
  });
});
