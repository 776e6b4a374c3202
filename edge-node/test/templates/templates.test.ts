import { deviceSchema, modbusPointSchema, modbusTcpDeviceSchema } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { fileDeviceSchema } from '../../src/config/schema';
import { registerCount } from '../../src/drivers/modbus/codec';
import { registerNumberToAddress } from '../../src/templates/addressing';
import { expandDeviceTemplate, listTemplates, loadTemplate } from '../../src/templates/registry';

function fileDevice(fields: Record<string, unknown>) {
  return fileDeviceSchema.parse({
    key: 'meter',
    driver: 'modbus-tcp',
    connection: { host: '127.0.0.1', port: 15020 },
    ...fields,
  });
}

describe('register-number addressing', () => {
  const cases: [number | string, string, number][] = [
    [30001, 'input-register', 0],
    [30002, 'input-register', 1],
    [39999, 'input-register', 9998],
    [40001, 'holding-register', 0],
    [49999, 'holding-register', 9998],
    [10001, 'discrete-input', 0],
    [1, 'coil', 0],
    ['00001', 'coil', 0],
    [9999, 'coil', 9998],
    [300001, 'input-register', 0],
    [365536, 'input-register', 65535],
    [400001, 'holding-register', 0],
    [465536, 'holding-register', 65535],
    [100001, 'discrete-input', 0],
    ['000001', 'coil', 0],
    ['065536', 'coil', 65535],
    ['010001', 'coil', 10000],
  ];
  it.each(cases)('maps %s to %s %i', (registerNumber, table, address) => {
    expect(registerNumberToAddress(registerNumber)).toEqual({ table, address });
  });

  const invalid: (number | string)[] = [0, 30000, 40000, 20001, 50001, 99999, 300000, 465537, 200001, 1000000, -1, 1.5, 'x40001', ''];
  it.each(invalid)('rejects %s', (registerNumber) => {
    expect(() => registerNumberToAddress(registerNumber)).toThrow(/register number|expected a 1-based register number/);
  });

  it('names the ranges in its message', () => {
    expect(() => registerNumberToAddress(50001)).toThrow(/30001-39999 input registers, 40001-49999 holding registers/);
  });
});

describe('device templates', () => {
  it('ships the register maps and the SunSpec template', () => {
    expect(listTemplates()).toEqual(expect.arrayContaining(['carlo-gavazzi-em24', 'eastron-sdm630', 'sunspec']));
  });

  it.each(listTemplates())('instantiates %s', (name) => {
    const template = loadTemplate(name);
    expect(template.name).toBe(name);
    expect(template.title.length).toBeGreaterThan(0);
    expect(template.manufacturer.length).toBeGreaterThan(0);
    expect(template.document.length).toBeGreaterThan(0);
    expect(['protocol', 'register-number']).toContain(template.addressing);
    const keys = new Set<string>();
    for (const point of template.points) {
      expect(() => modbusPointSchema.parse(point), point.key).not.toThrow();
      expect(keys.has(point.key), `duplicate key ${point.key}`).toBe(false);
      keys.add(point.key);
    }
    if (template.sunspec === undefined) expect(template.points.length).toBeGreaterThan(0);

    const device = deviceSchema.parse(expandDeviceTemplate(fileDevice({ template: name })));
    expect(device.points.map((point) => point.key)).toEqual(template.points.map((point) => point.key));
  });

  it.each(listTemplates().filter((name) => loadTemplate(name).sunspec === undefined))(
    'keeps the points of %s from overlapping',
    (name) => {
      const byTable = new Map<string, [number, number, string][]>();
      for (const point of loadTemplate(name).points) {
        const size = registerCount(point.dataType, point.length);
        const list = byTable.get(point.table) ?? [];
        list.push([point.address, point.address + size, point.key]);
        byTable.set(point.table, list);
      }
      for (const spans of byTable.values()) {
        spans.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i++) {
          expect(spans[i]![0], `${spans[i - 1]![2]} overlaps ${spans[i]![2]}`).toBeGreaterThanOrEqual(spans[i - 1]![1]);
        }
      }
    },
  );

  it('maps the SDM630 to float32 input registers from 30001', () => {
    const template = loadTemplate('eastron-sdm630');
    expect(template.addressing).toBe('register-number');
    const voltage = template.points.find((point) => point.key === 'l1_voltage')!;
    expect(voltage).toMatchObject({ table: 'input-register', address: 0, dataType: 'float32', wordOrder: 'ABCD', unit: 'V' });
    const importEnergy = template.points.find((point) => point.key === 'import_energy')!;
    expect(importEnergy).toMatchObject({ table: 'input-register', address: 72, kind: 'counter', unit: 'kWh' });
    const demandPeriod = template.points.find((point) => point.key === 'demand_period')!;
    expect(demandPeriod).toMatchObject({ table: 'holding-register', address: 2, writable: true, min: 0, max: 60 });
  });

  it('maps the EM24 to word-swapped int32 with weights', () => {
    const template = loadTemplate('carlo-gavazzi-em24');
    expect(template.addressing).toBe('register-number');
    const current = template.points.find((point) => point.key === 'l1_current')!;
    expect(current).toMatchObject({ table: 'input-register', address: 0x0c, dataType: 'int32', wordOrder: 'CDAB', scale: 0.001 });
    const energy = template.points.find((point) => point.key === 'import_energy')!;
    expect(energy).toMatchObject({ address: 0x34, kind: 'counter', scale: 0.1, unit: 'kWh' });
    const frequency = template.points.find((point) => point.key === 'frequency')!;
    expect(frequency).toMatchObject({ address: 0x33, dataType: 'int16', scale: 0.1 });
  });

  it('marks every energy register as a counter', () => {
    for (const name of listTemplates()) {
      for (const point of loadTemplate(name).points) {
        if (['kWh', 'Wh', 'kvarh', 'varh', 'VAh'].includes(point.unit)) expect(point.kind, `${name} ${point.key}`).toBe('counter');
      }
    }
  });

  it('lists known templates for an unknown one', () => {
    expect(() => loadTemplate('acme-9000')).toThrow(/unknown device template "acme-9000"; known templates: .*eastron-sdm630/);
  });
});

describe('expandDeviceTemplate', () => {
  it('replaces a template point by an explicit point with the same key', () => {
    const expanded = expandDeviceTemplate(
      fileDevice({
        template: 'eastron-sdm630',
        points: [
          { key: 'frequency', table: 'input-register', address: 70, dataType: 'float32', unit: 'Hz', name: 'override' },
          { key: 'extra', table: 'holding-register', address: 100, dataType: 'uint16' },
        ],
      }),
    );
    const device = deviceSchema.parse(expanded);
    const template = loadTemplate('eastron-sdm630');
    expect(device.points).toHaveLength(template.points.length + 1);
    const index = template.points.findIndex((point) => point.key === 'frequency');
    expect(device.points[index]).toMatchObject({ key: 'frequency', name: 'override' });
    expect(device.points.at(-1)).toMatchObject({ key: 'extra', address: 100 });
  });

  it('converts explicit register numbers', () => {
    const expanded = expandDeviceTemplate(
      fileDevice({
        addressing: 'register-number',
        points: [
          { key: 'a', address: 30001 },
          { key: 'b', address: 40010, dataType: 'uint16' },
          { key: 'c', address: '000017', dataType: 'bool' },
          { key: 'd', address: 465536, dataType: 'uint16' },
        ],
      }),
    );
    const device = modbusTcpDeviceSchema.parse(expanded);
    expect(device.points.map((point) => [point.key, point.table, point.address])).toEqual([
      ['a', 'input-register', 0],
      ['b', 'holding-register', 9],
      ['c', 'coil', 16],
      ['d', 'holding-register', 65535],
    ]);
    expect('addressing' in expanded).toBe(false);
  });

  it('rejects a register number outside every range', () => {
    expect(() => expandDeviceTemplate(fileDevice({ addressing: 'register-number', points: [{ key: 'x', address: 60001 }] }))).toThrow(
      /points\[0\] \(x\): register number 60001 is outside every range/,
    );
  });

  it('rejects a table that contradicts the register number', () => {
    const device = fileDevice({ addressing: 'register-number', points: [{ key: 'x', address: 30001, table: 'holding-register' }] });
    expect(() => expandDeviceTemplate(device)).toThrow(/30001 selects table "input-register", but the point sets table "holding-register"/);
  });

  it('sets sunspec for the SunSpec template', () => {
    const device = modbusTcpDeviceSchema.parse(expandDeviceTemplate(fileDevice({ template: 'sunspec' })));
    expect(device.sunspec).toEqual({ baseAddress: 40000 });
  });

  it('keeps an explicit SunSpec base address', () => {
    const device = modbusTcpDeviceSchema.parse(expandDeviceTemplate(fileDevice({ template: 'sunspec', sunspec: { baseAddress: 0 } })));
    expect(device.sunspec?.baseAddress).toBe(0);
  });

  it('takes connection defaults from the template', () => {
    const device = modbusTcpDeviceSchema.parse(expandDeviceTemplate(fileDevice({ template: 'eastron-sdm630' })));
    expect(device.connection.maxBlockRegisters).toBe(80);
  });

  it('names the known templates for an unknown template', () => {
    expect(() => expandDeviceTemplate(fileDevice({ template: 'nope' }))).toThrow(
      /unknown device template "nope"; known templates: carlo-gavazzi-em24, eastron-sdm630, sunspec/,
    );
  });

  it('rejects a Modbus template on an MQTT device', () => {
    expect(() => expandDeviceTemplate(fileDeviceSchema.parse({ key: 'm', driver: 'mqtt', template: 'sunspec' }))).toThrow(
      /Modbus template/,
    );
  });

  it('passes a device without template through', () => {
    const expanded = expandDeviceTemplate(fileDevice({ points: [{ key: 'a', address: 3, dataType: 'uint16' }] }));
    expect(deviceSchema.parse(expanded).points[0]).toMatchObject({ key: 'a', address: 3, table: 'holding-register' });
  });
});
