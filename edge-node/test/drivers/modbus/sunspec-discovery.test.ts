import type { ModbusPoint } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver, PointReading } from '../../../src/drivers/driver';
import { DeviceError } from '../../../src/drivers/errors';
import { loadSunspecModel } from '../../../src/templates/sunspec/models';
import { makeDriver, tcpDevice } from './driver-helpers';
import { imageHandler, startRawTcpServer, type RawTcpServer } from './raw-tcp-server';

let server: RawTcpServer | undefined;
let driver: Driver | undefined;

afterEach(async () => {
  await driver?.stop();
  await server?.close();
  driver = undefined;
  server = undefined;
});

interface ImageModel {
  id: number;
  /** Length written in the header; the JSON fixed-block length when omitted. */
  length?: number;
  /** Raw register values by point name. */
  values?: Record<string, number[]>;
}

/**
 * Builds a SunSpec register image from the model JSON: "SunS", each model header with its length,
 * the point values given (others stay 0) and the end model 0xFFFF.
 */
function buildImage(baseAddress: number, models: ImageModel[]): Map<number, number> {
  const image = new Map<number, number>([
    [baseAddress, 0x5375],
    [baseAddress + 1, 0x6e53],
  ]);
  let address = baseAddress + 2;
  for (const entry of models) {
    const known = entry.id < 64000 ? loadSunspecModel(entry.id) : undefined;
    const length = entry.length ?? known?.fixedSize ?? 0;
    image.set(address, entry.id);
    image.set(address + 1, length);
    for (let i = 0; i < length; i++) image.set(address + 2 + i, 0);
    for (const [name, registers] of Object.entries(entry.values ?? {})) {
      const point = known?.points.find((candidate) => candidate.name === name);
      if (!point) throw new Error(`model ${entry.id} has no point ${name}`);
      registers.forEach((register, i) => image.set(address + 2 + point.offset + i, register));
    }
    address += 2 + length;
  }
  image.set(address, 0xffff);
  image.set(address + 1, 0);
  return image;
}

function text(value: string, registers: number): number[] {
  const bytes = Buffer.alloc(registers * 2);
  bytes.write(value, 'latin1');
  return Array.from({ length: registers }, (_, i) => bytes.readUInt16BE(i * 2));
}

function offsetOf(modelId: number, name: string): number {
  return loadSunspecModel(modelId).points.find((point) => point.name === name)!.offset;
}

function byKey(readings: PointReading[]): Record<string, PointReading> {
  return Object.fromEntries(readings.map((reading) => [reading.point, reading]));
}

const inverterValues = {
  A: [1234],
  A_SF: [0xfffe],
  W: [2500],
  W_SF: [1],
  WH: [0x0001, 0x0000],
  WH_SF: [0],
  PhVphA: [2301],
  V_SF: [0xffff],
  St: [4],
  VA: [0x8000],
  VA_SF: [0],
};

describe('SunSpec discovery', () => {
  it('walks the chain by header lengths and reads the points', async () => {
    const image = buildImage(40000, [
      { id: 1, values: { Mn: text('SimTestLab', 16), SN: text('INV-0001', 16) } },
      // Four registers longer than the JSON fixed block: the walk must use the header length.
      { id: 103, length: 54, values: inverterValues },
      { id: 64999, length: 7 },
      { id: 203, values: { W: [0xfc18], W_SF: [0], TotWhImp: [0, 5000], TotWh_SF: [1] } },
    ]);
    server = await startRawTcpServer(imageHandler(image));
    const created = makeDriver(tcpDevice(server.port, { sunspec: {} }, { timeoutMs: 500 }));
    driver = created.driver;

    const points = (await driver.start()) as ModbusPoint[];
    const keys = points.map((point) => point.key);
    expect(keys).toContain('m1.Mn');
    expect(keys).toContain('m103.W');
    expect(keys).toContain('m203.TotWhImp');
    expect(keys.some((key) => key.startsWith('m64999'))).toBe(false);

    const model103 = 40002 + 2 + 66;
    expect(points.find((point) => point.key === 'm103.A')).toMatchObject({ address: model103 + 2, scaleFactor: 'm103.A_SF', unit: 'A' });
    expect(points.find((point) => point.key === 'm103.WH')).toMatchObject({ dataType: 'uint32', kind: 'counter' });
    expect(points.find((point) => point.key === 'm103.St')).toMatchObject({ kind: 'state' });
    const model203 = model103 + 2 + 54 + 2 + 7;
    expect(points.find((point) => point.key === 'm203.W')).toMatchObject({ address: model203 + 2 + offsetOf(203, 'W') });
    expect(created.log.lines.some((line) => String(line.msg).includes('SunSpec model 64999 is not known; skipped'))).toBe(true);

    const readings = byKey(await driver.read());
    expect(readings['m1.Mn']?.value).toBe('SimTestLab');
    expect(readings['m1.SN']?.value).toBe('INV-0001');
    expect(readings['m103.A']?.value).toBe(12.34);
    expect(readings['m103.W']?.value).toBe(25_000);
    expect(readings['m103.WH']?.value).toBe(65536);
    expect(readings['m103.PhVphA']?.value).toBe(230.1);
    expect(readings['m103.St']?.value).toBe(4);
    expect(readings['m103.VA']).toEqual({ point: 'm103.VA', value: null, quality: 'bad', reason: 'not_implemented' });
    expect(readings['m203.W']?.value).toBe(-1000);
    expect(readings['m203.TotWhImp']?.value).toBe(50_000);
  });

  it('reads each model with its scale factors in one request', async () => {
    const image = buildImage(40000, [{ id: 1 }, { id: 103, values: inverterValues }, { id: 203 }]);
    server = await startRawTcpServer(imageHandler(image));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    await driver.start();
    const before = server.requests.length;
    await driver.read();
    const reads = server.requests.slice(before);
    // Models 1 and 103 (66 + 2 + 50 registers) fit one block of 125; model 203 (105) needs its own.
    expect(reads.length).toBe(2);
    for (const request of reads) expect(request.quantity).toBeLessThanOrEqual(125);
  });

  it('changes values with a changed scale factor', async () => {
    const image = buildImage(40000, [{ id: 103, values: inverterValues }]);
    server = await startRawTcpServer(imageHandler(image));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    await driver.start();
    expect(byKey(await driver.read())['m103.W']?.value).toBe(25_000);
    const sfAddress = 40004 + loadSunspecModel(103).points.find((point) => point.name === 'W_SF')!.offset;
    image.set(sfAddress, 0xfffd);
    expect(byKey(await driver.read())['m103.W']?.value).toBe(2.5);
  });

  it('falls back to base address 0 and logs it', async () => {
    const image = buildImage(0, [{ id: 1 }, { id: 201 }]);
    server = await startRawTcpServer(imageHandler(image));
    const created = makeDriver(tcpDevice(server.port, { sunspec: { baseAddress: 40000 } }));
    driver = created.driver;
    const points = (await driver.start()) as ModbusPoint[];
    expect(points.find((point) => point.key === 'm201.W')?.address).toBe(2 + 2 + 66 + 2 + offsetOf(201, 'W'));
    expect(created.log.lines.some((line) => String(line.msg).includes('found it at 0 instead'))).toBe(true);
  });

  it('finds the marker at 50000', async () => {
    server = await startRawTcpServer(imageHandler(buildImage(50000, [{ id: 1 }])));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    const points = (await driver.start()) as ModbusPoint[];
    expect(points.find((point) => point.key === 'm1.Mn')?.address).toBe(50004);
  });

  it('fails without a SunS marker', async () => {
    server = await startRawTcpServer(imageHandler(new Map([[40000, 0]])));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    const error = await driver.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as Error).message).toMatch(/"SunS" not found at holding register 40000, 0, 50000/);
  });

  it('builds points only for the listed models', async () => {
    server = await startRawTcpServer(imageHandler(buildImage(40000, [{ id: 1 }, { id: 103 }])));
    driver = makeDriver(tcpDevice(server.port, { sunspec: { models: [103] } })).driver;
    const keys = ((await driver.start()) as ModbusPoint[]).map((point) => point.key);
    expect(keys.every((key) => key.startsWith('m103.'))).toBe(true);
  });

  it('keys a second instance of a model apart', async () => {
    server = await startRawTcpServer(imageHandler(buildImage(40000, [{ id: 203 }, { id: 203 }])));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    const keys = ((await driver.start()) as ModbusPoint[]).map((point) => point.key);
    expect(keys).toContain('m203.W');
    expect(keys).toContain('m203_2.W');
  });

  it('leaves out fixed points beyond a short model length', async () => {
    server = await startRawTcpServer(imageHandler(buildImage(40000, [{ id: 103, length: 20 }, { id: 1 }])));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    const points = (await driver.start()) as ModbusPoint[];
    const keys = points.map((point) => point.key);
    expect(keys).toContain('m103.W');
    expect(keys).not.toContain('m103.WH');
    expect(points.find((point) => point.key === 'm1.Mn')?.address).toBe(40004 + 20 + 2);
  });

  it('builds the repeating blocks of model 160 from the header length', async () => {
    const model = loadSunspecModel(160);
    const repeating = model.repeating!;
    const length = model.fixedSize + 2 * repeating.size;
    const image = buildImage(40000, [{ id: 160, length }]);
    const dcaSf = 40004 + model.points.find((point) => point.name === 'DCA_SF')!.offset;
    image.set(dcaSf, 0xffff);
    const secondDca = 40004 + model.fixedSize + repeating.size + repeating.points.find((point) => point.name === 'DCA')!.offset;
    image.set(secondDca, 87);
    server = await startRawTcpServer(imageHandler(image));
    driver = makeDriver(tcpDevice(server.port, { sunspec: {} })).driver;
    const points = (await driver.start()) as ModbusPoint[];
    expect(points.find((point) => point.key === 'm160.2.DCA')).toMatchObject({ address: secondDca, scaleFactor: 'm160.DCA_SF' });
    expect(byKey(await driver.read())['m160.2.DCA']?.value).toBe(8.7);
  });
});
