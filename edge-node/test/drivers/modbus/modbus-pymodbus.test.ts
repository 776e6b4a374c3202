import { deviceSchema, type Device } from '@simtestlab/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileDeviceSchema } from '../../../src/config/schema';
import type { Driver, PointReading } from '../../../src/drivers/driver';
import { DeviceTimeoutError } from '../../../src/drivers/errors';
import { toRegisterArray } from '../../../src/drivers/modbus/codec';
import { ModbusConnection } from '../../../src/drivers/modbus/connection';
import { createSilentLogger } from '../../../src/logger';
import { expandDeviceTemplate, loadTemplate } from '../../../src/templates/registry';
import { float32Registers, makeDriver } from './driver-helpers';
import { startPymodbus, type PymodbusServer } from './pymodbus-process';

const SDM630_UNIT = 1;
const EM24_UNIT = 2;
const IO_UNIT = 3;

/** Fills every SDM630 input register point with a distinct float: 100 + the point's index. */
function sdm630Image(): Record<number, number> {
  const registers: Record<number, number> = {};
  loadTemplate('eastron-sdm630').points.forEach((point, index) => {
    if (point.table !== 'input-register') return;
    const [high, low] = float32Registers(100 + index + 0.5);
    registers[point.address] = high!;
    registers[point.address + 1] = low!;
  });
  return registers;
}

function int32Swapped(value: number): [number, number] {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value, 0);
  return [bytes.readUInt16BE(2), bytes.readUInt16BE(0)];
}

function em24Image(): Record<number, number> {
  const registers: Record<number, number> = {};
  for (const point of loadTemplate('carlo-gavazzi-em24').points) {
    if (point.dataType === 'int16') {
      registers[point.address] = 0;
    } else {
      registers[point.address] = 0;
      registers[point.address + 1] = 0;
    }
  }
  const set32 = (address: number, value: number): void => {
    [registers[address], registers[address + 1]] = int32Swapped(value);
  };
  set32(0x00, 2304); // V L1-N, Volt*10
  set32(0x0c, 12_345); // A L1, Ampere*1000
  set32(0x28, -15_005); // W system, Watt*10: exporting
  set32(0x34, 1_234_567); // kWh (+) TOT, kWh*10
  registers[0x2e] = 0xfc18; // PF L1 = -1000 (PF*1000)
  registers[0x33] = 500; // Hz*10
  return registers;
}

function templateDevice(port: number, template: string, unitId: number): Device {
  return deviceSchema.parse(
    expandDeviceTemplate(
      fileDeviceSchema.parse({
        key: template,
        driver: 'modbus-tcp',
        template,
        connection: { host: '127.0.0.1', port, unitId, timeoutMs: 2000 },
      }),
    ),
  );
}

function byKey(readings: PointReading[]): Record<string, PointReading> {
  return Object.fromEntries(readings.map((reading) => [reading.point, reading]));
}

let server: PymodbusServer;
const drivers: Driver[] = [];

beforeAll(async () => {
  server = await startPymodbus({ transport: 'tcp' }, {
    [SDM630_UNIT]: { ir: sdm630Image(), hr: { 2: float32Registers(60)[0]!, 3: float32Registers(60)[1]!, 10: float32Registers(3)[0]!, 11: 0 } },
    [EM24_UNIT]: { ir: em24Image() },
    [IO_UNIT]: {
      co: { 0: false, 1: false, 2: false, 3: true },
      di: { 0: true, 1: false, 2: true },
      hr: { 0: 0, 1: 0, 2: 0 },
      ir: { 0: 4321 },
    },
  });
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
});

afterAll(async () => {
  await server.stop();
});

describe('modbus connection against pymodbus', () => {
  it('speaks function codes 1 to 6, 15 and 16', async () => {
    const connection = new ModbusConnection(
      { transport: 'tcp', host: '127.0.0.1', port: server.port! },
      { logger: createSilentLogger(), connectTimeoutMs: 1000 },
    );
    const target = { device: 'io', unitId: IO_UNIT, timeoutMs: 2000, logger: createSilentLogger() };
    try {
      await connection.writeCoils(target, 0, [true, false, true]);
      expect(await connection.readBits(target, 'coil', 0, 4)).toEqual([true, false, true, true]);
      await connection.writeCoil(target, 1, true);
      expect(await connection.readBits(target, 'coil', 1, 1)).toEqual([true]);
      expect(await connection.readBits(target, 'discrete-input', 0, 3)).toEqual([true, false, true]);
      await connection.writeRegister(target, 0, 0xbeef);
      await connection.writeRegisters(target, 1, [1, 2]);
      expect(toRegisterArray(await connection.readRegisters(target, 'holding-register', 0, 3))).toEqual([0xbeef, 1, 2]);
      expect(toRegisterArray(await connection.readRegisters(target, 'input-register', 0, 1))).toEqual([4321]);
      await expect(connection.readRegisters(target, 'input-register', 1, 1)).rejects.toMatchObject({ code: 2 });
    } finally {
      await connection.close();
    }
  });
});

describe('modbus driver against pymodbus', () => {
  it('reads every SDM630 template point', async () => {
    const { driver } = makeDriver(templateDevice(server.port!, 'eastron-sdm630', SDM630_UNIT));
    drivers.push(driver);
    const points = await driver.start();
    const readings = byKey(await driver.read());
    points.forEach((point, index) => {
      if (!('table' in point) || point.table !== 'input-register') return;
      expect(readings[point.key], point.key).toEqual({ point: point.key, value: 100 + index + 0.5, quality: 'good' });
    });
    expect(readings.demand_period?.value).toBe(60);
    expect(readings.system_type?.value).toBe(3);
  });

  it('reads the EM24 template with word-swapped int32 and weights', async () => {
    const { driver } = makeDriver(templateDevice(server.port!, 'carlo-gavazzi-em24', EM24_UNIT));
    drivers.push(driver);
    await driver.start();
    const readings = byKey(await driver.read());
    expect(readings.l1_voltage?.value).toBe(230.4);
    expect(readings.l1_current?.value).toBe(12.345);
    expect(readings.total_power?.value).toBe(-1500.5);
    expect(readings.import_energy?.value).toBe(123_456.7);
    expect(readings.l1_power_factor?.value).toBe(-1);
    expect(readings.frequency?.value).toBe(50);
    expect(Object.values(readings).every((reading) => reading.quality === 'good')).toBe(true);
  });

  it('writes a float32 holding register with FC 16 and reads it back', async () => {
    const { driver } = makeDriver(templateDevice(server.port!, 'eastron-sdm630', SDM630_UNIT));
    drivers.push(driver);
    await driver.start();
    await driver.write('demand_period', 15);
    expect(byKey(await driver.read()).demand_period?.value).toBe(15);
    await driver.write('demand_period', 60);
  });

  it('reports unit ids the server does not serve as a timeout', async () => {
    const { driver } = makeDriver(
      deviceSchema.parse({
        key: 'ghost',
        driver: 'modbus-tcp',
        connection: { host: '127.0.0.1', port: server.port, unitId: 9, timeoutMs: 300 },
        points: [{ key: 'n', address: 0, dataType: 'uint16' }],
      }),
    );
    drivers.push(driver);
    await driver.start();
    await expect(driver.read()).rejects.toBeInstanceOf(DeviceTimeoutError);
  });
});
