import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver, PointReading } from '../../../src/drivers/driver';
import { DeviceConnectionError, DeviceProtocolError, DeviceRequestError, DeviceTimeoutError } from '../../../src/drivers/errors';
import { float32Registers, makeDriver, tcpDevice, timed } from './driver-helpers';
import { imageHandler, startRawTcpServer, type RawTcpServer, type RequestHandler } from './raw-tcp-server';

let server: RawTcpServer | undefined;
let driver: Driver | undefined;

afterEach(async () => {
  await driver?.stop();
  await server?.close();
  driver = undefined;
  server = undefined;
});

async function setup(handler: RequestHandler, fields: Record<string, unknown>, connection: Record<string, unknown> = {}) {
  server = await startRawTcpServer(handler);
  const created = makeDriver(tcpDevice(server.port, fields, connection));
  driver = created.driver;
  await driver.start();
  return { server, driver, log: created.log };
}

function byKey(readings: PointReading[]): Record<string, PointReading> {
  return Object.fromEntries(readings.map((reading) => [reading.point, reading]));
}

function image(entries: Record<number, number>): Map<number, number> {
  return new Map(Object.entries(entries).map(([address, value]) => [Number(address), value]));
}

describe('modbus tcp block reads', () => {
  it('reads contiguous points in one request and splits at gaps', async () => {
    const { server, driver } = await setup(imageHandler(image({ 0: 10, 1: 11, 2: 12, 5: 15 })), {
      points: [
        { key: 'a', address: 0, dataType: 'uint16' },
        { key: 'b', address: 1, dataType: 'uint16' },
        { key: 'c', address: 2, dataType: 'uint16' },
        { key: 'd', address: 5, dataType: 'uint16' },
      ],
    });
    const readings = byKey(await driver.read());
    expect(readings.a).toEqual({ point: 'a', value: 10, quality: 'good' });
    expect(readings.c?.value).toBe(12);
    expect(readings.d?.value).toBe(15);
    expect(server.requests.map((request) => [request.functionCode, request.address, request.quantity])).toEqual([
      [3, 0, 3],
      [3, 5, 1],
    ]);
  });

  it('keeps blocks within maxBlockRegisters', async () => {
    const values = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, i]));
    const points = Array.from({ length: 10 }, (_, i) => ({ key: `p${i}`, address: i, dataType: 'uint16' }));
    const { server, driver } = await setup(imageHandler(image(values)), { points }, { maxBlockRegisters: 4 });
    await driver.read();
    expect(server.requests.map((request) => request.quantity)).toEqual([4, 4, 2]);
  });

  it('decodes word-swapped floats and int32', async () => {
    const int32 = Buffer.alloc(4);
    int32.writeInt32BE(-123456, 0);
    const [swappedLow, swappedHigh] = float32Registers(231.5, 'CDAB');
    const { driver } = await setup(
      imageHandler(image({ 0: swappedLow!, 1: swappedHigh!, 2: int32.readUInt16BE(2), 3: int32.readUInt16BE(0) })),
      {
        points: [
          { key: 'voltage', address: 0, dataType: 'float32', wordOrder: 'CDAB' },
          { key: 'power', address: 2, dataType: 'int32', wordOrder: 'CDAB', scale: 0.1 },
        ],
      },
    );
    const readings = byKey(await driver.read());
    expect(readings.voltage?.value).toBe(231.5);
    expect(readings.power?.value).toBe(-12345.6);
  });

  it('reads coils and discrete inputs', async () => {
    const handler: RequestHandler = (request) =>
      request.functionCode === 1 ? { bits: [true, false, true] } : request.functionCode === 2 ? { bits: [false, true] } : { exception: 1 };
    const { driver } = await setup(handler, {
      points: [
        { key: 'c0', table: 'coil', address: 0, dataType: 'bool' },
        { key: 'c1', table: 'coil', address: 1, dataType: 'bool' },
        { key: 'c2', table: 'coil', address: 2, dataType: 'bool' },
        { key: 'd1', table: 'discrete-input', address: 1, dataType: 'bool' },
      ],
    });
    const readings = byKey(await driver.read());
    expect([readings.c0?.value, readings.c1?.value, readings.c2?.value]).toEqual([1, 0, 1]);
    expect(readings.d1?.value).toBe(0);
  });

  it('reads replies split across TCP segments', async () => {
    const { driver } = await setup(() => ({ registers: [...float32Registers(49.98), 7], segments: [1, 5, 2, 3] }), {
      points: [
        { key: 'hz', address: 0, dataType: 'float32' },
        { key: 'n', address: 2, dataType: 'uint16' },
      ],
    });
    const readings = byKey(await driver.read());
    expect(readings.hz?.value).toBeCloseTo(49.98, 4);
    expect(readings.n?.value).toBe(7);
  });
});

describe('modbus tcp exceptions', () => {
  const points = [
    { key: 'a', address: 0, dataType: 'uint16' },
    { key: 'b', address: 1, dataType: 'uint16' },
    { key: 'c', address: 2, dataType: 'uint16' },
  ];

  it.each([2, 3])('splits a block on exception %i and retries point by point', async (code) => {
    const handler: RequestHandler = (request) => {
      const covers = request.address <= 1 && request.address + request.quantity > 1;
      return covers ? { exception: code } : { registers: Array.from({ length: request.quantity }, (_, i) => 100 + request.address + i) };
    };
    const { server, driver, log } = await setup(handler, { points });
    const readings = byKey(await driver.read());
    expect(readings.a).toEqual({ point: 'a', value: 100, quality: 'good' });
    expect(readings.b).toEqual({ point: 'b', value: null, quality: 'bad', reason: 'exception' });
    expect(readings.c).toEqual({ point: 'c', value: 102, quality: 'good' });
    expect(server.requests.map((request) => [request.address, request.quantity])).toEqual([
      [0, 3],
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(log.lines.some((line) => String(line.msg).includes('one by one'))).toBe(true);

    await driver.read();
    expect(server.requests.slice(4).map((request) => [request.address, request.quantity])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it('marks a whole block bad on exception 4', async () => {
    const { driver } = await setup(() => ({ exception: 4 }), { points });
    const readings = await driver.read();
    expect(readings.map((reading) => reading.reason)).toEqual(['exception', 'exception', 'exception']);
  });

  it('turns gateway exception 11 into a device timeout', async () => {
    const { driver } = await setup(() => ({ exception: 11 }), { points });
    await expect(driver.read()).rejects.toBeInstanceOf(DeviceTimeoutError);
  });
});

describe('modbus tcp timeouts and connection loss', () => {
  const points = [{ key: 'n', address: 0, dataType: 'uint16' }];

  it('times out a device that never answers', async () => {
    const { driver } = await setup(() => ({ silent: true }), { points }, { timeoutMs: 150 });
    const result = await timed(driver.read());
    expect(result.error).toBeInstanceOf(DeviceTimeoutError);
    expect((result.error as Error).message).toMatch(/FC 3 read of 1 holding-registers at 0 .* timed out after 150 ms/);
    expect(result.ms).toBeGreaterThanOrEqual(140);
    expect(result.ms).toBeLessThan(1000);
  });

  it('never delivers a late reply to the next request', async () => {
    let count = 0;
    const { server, driver } = await setup(
      () => {
        count++;
        // The reply to the first request (111) comes after the timeout. Later replies (222) come at once.
        return count === 1 ? { registers: [111], delayMs: 300 } : { registers: [222] };
      },
      { points },
      { timeoutMs: 100 },
    );
    await expect(driver.read()).rejects.toBeInstanceOf(DeviceTimeoutError);
    const second = await driver.read();
    expect(second[0]?.value).toBe(222);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await driver.read();
    expect(third[0]?.value).toBe(222);
    expect(server.connections).toBe(2);
  });

  it('rejects the request in flight when the peer closes and reconnects', async () => {
    let count = 0;
    const { server, driver } = await setup(
      () => {
        count++;
        return count === 1 ? { close: true } : { registers: [5] };
      },
      { points },
      { timeoutMs: 2000 },
    );
    const failed = await timed(driver.read());
    expect(failed.error).toBeInstanceOf(DeviceConnectionError);
    expect((failed.error as Error).message).toMatch(/closed/);
    expect(failed.ms).toBeLessThan(1000);

    const readings = await driver.read();
    expect(readings[0]).toEqual({ point: 'n', value: 5, quality: 'good' });
    expect(server.connections).toBe(2);
  });

  it('rejects the request in flight when the driver stops', async () => {
    const { driver } = await setup(() => ({ silent: true }), { points }, { timeoutMs: 5000 });
    const pending = timed(driver.read());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await driver.stop();
    const result = await pending;
    expect(result.error).toBeInstanceOf(DeviceConnectionError);
    expect(result.ms).toBeLessThan(1000);
  });

  it('backs off reconnect attempts after failures', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    let now = 1_000_000;
    const created = makeDriver(tcpDevice(port, { points }), { backoff: { initialMs: 1000, maxMs: 4000 }, now: () => now });
    driver = created.driver;
    await driver.start();

    const first = await timed(driver.read());
    expect(first.error).toBeInstanceOf(DeviceConnectionError);
    expect((first.error as Error).message).toMatch(/cannot connect to tcp:\/\/127\.0\.0\.1:\d+: .*next attempt in 1000 ms/);

    const waiting = await timed(driver.read());
    expect((waiting.error as Error).message).toMatch(/not reconnecting to .* for another 1000 ms after 1 failed attempt/);

    now += 1000;
    const second = await timed(driver.read());
    expect((second.error as Error).message).toMatch(/next attempt in 2000 ms/);
    now += 2000;
    const third = await timed(driver.read());
    expect((third.error as Error).message).toMatch(/next attempt in 4000 ms/);
    now += 4000;
    const fourth = await timed(driver.read());
    expect((fourth.error as Error).message).toMatch(/next attempt in 4000 ms/);
    expect(created.log.lines.filter((line) => String(line.msg).startsWith('cannot connect')).length).toBe(3);
  });
});

describe('modbus tcp unit ids', () => {
  const points = [{ key: 'n', address: 0, dataType: 'uint16' }];

  it.each([0, 255])('accepts replies from gateway unit %i when listed', async (unitId) => {
    const { server, driver } = await setup(() => ({ registers: [77], unitId }), { points }, { unitId: 3, acceptUnitIds: [0, 255] });
    const readings = await driver.read();
    expect(readings[0]).toEqual({ point: 'n', value: 77, quality: 'good' });
    expect(server.requests[0]?.unitId).toBe(3);
  });

  it('accepts a gateway unit id in a reply split inside the header', async () => {
    const { driver } = await setup(() => ({ registers: [78], unitId: 255, segments: [6, 1, 2] }), { points }, {
      unitId: 3,
      acceptUnitIds: [255],
    });
    expect((await driver.read())[0]?.value).toBe(78);
  });

  it('rejects a reply from an unlisted unit id', async () => {
    const { driver } = await setup(() => ({ registers: [77], unitId: 0 }), { points }, { unitId: 3 });
    const result = await timed(driver.read());
    expect(result.error).toBeInstanceOf(DeviceConnectionError);
    expect((result.error as Error).message).toMatch(/reply from unit 0 instead of 3; .*acceptUnitIds/);
  });
});

describe('modbus tcp values', () => {
  it('applies scale factors read in the same request', async () => {
    const registers = image({ 0: 2345, 1: 0xffff, 2: 0x8000, 3: 0 });
    const { server, driver } = await setup(imageHandler(registers), {
      points: [
        { key: 'W', address: 0, dataType: 'int16', scaleFactor: 'W_SF', unit: 'W' },
        { key: 'W_SF', address: 1, dataType: 'int16', kind: 'state' },
        { key: 'VAr', address: 2, dataType: 'int16', scaleFactor: 'W_SF' },
        { key: 'PF', address: 3, dataType: 'int16', scaleFactor: 'PF_SF' },
      ],
    });
    let readings = byKey(await driver.read());
    expect(readings.W?.value).toBe(234.5);
    expect(readings.VAr).toEqual({ point: 'VAr', value: null, quality: 'bad', reason: 'not_implemented' });
    expect(readings.PF).toEqual({ point: 'PF', value: null, quality: 'bad', reason: 'config' });
    expect(server.requests).toHaveLength(1);

    registers.set(1, 2);
    readings = byKey(await driver.read());
    expect(readings.W?.value).toBe(234_500);

    registers.set(1, 0x8000);
    readings = byKey(await driver.read());
    expect(readings.W).toEqual({ point: 'W', value: null, quality: 'bad', reason: 'not_implemented' });
  });

  it('applies scale and offset after the scale factor', async () => {
    const { driver } = await setup(imageHandler(image({ 0: 250, 1: 0xffff })), {
      points: [
        { key: 't', address: 0, dataType: 'int16', scale: 0.1, offset: -20 },
        { key: 'u', address: 1, dataType: 'uint16', sentinels: false },
      ],
    });
    const readings = byKey(await driver.read());
    expect(readings.t?.value).toBe(5);
    expect(readings.u?.value).toBe(65535);
  });
});

describe('modbus tcp writes', () => {
  it('writes FC 6, FC 16 and FC 5 with scaling', async () => {
    const registers = image({ 0: 0, 1: 0, 2: 0, 3: 0xffff });
    const handler = imageHandler(registers);
    const { server, driver } = await setup(
      (request) => (request.functionCode === 5 ? { echo: true } : handler(request)),
      {
        points: [
          { key: 'limit', address: 0, dataType: 'int16', scale: 0.1, writable: true, min: 0, max: 100 },
          { key: 'setpoint', address: 1, dataType: 'float32', wordOrder: 'CDAB', writable: true },
          { key: 'scaled', address: 3, dataType: 'int16', scaleFactor: 'sf', writable: true },
          { key: 'sf', address: 4, dataType: 'int16' },
          { key: 'relay', table: 'coil', address: 7, dataType: 'bool', writable: true },
        ],
      },
    );
    registers.set(4, 0xffff);
    await driver.write('limit', 42.5);
    await driver.write('setpoint', 12.25);
    await driver.write('scaled', 7.5);
    await driver.write('relay', true);

    const writes = server.requests.filter((request) => [5, 6, 16].includes(request.functionCode));
    expect(writes.map((request) => [request.functionCode, request.address])).toEqual([
      [6, 0],
      [16, 1],
      [6, 3],
      [5, 7],
    ]);
    expect(registers.get(0)).toBe(425);
    expect([registers.get(1), registers.get(2)]).toEqual(float32Registers(12.25, 'CDAB'));
    expect(registers.get(3)).toBe(75);
    expect(writes[3]?.quantity).toBe(0xff00);
  });

  it('rejects writes before sending anything', async () => {
    const { server, driver } = await setup(imageHandler(image({ 0: 0, 1: 0 })), {
      points: [
        { key: 'limit', address: 0, dataType: 'uint16', writable: true, min: 0, max: 100 },
        { key: 'status', address: 1, dataType: 'uint16' },
        { key: 'input', table: 'input-register', address: 0, dataType: 'uint16', writable: true },
      ],
    });
    await expect(driver.write('limit', 101)).rejects.toThrow(/above its maximum 100/);
    await expect(driver.write('limit', -1)).rejects.toThrow(/below its minimum 0/);
    await expect(driver.write('limit', 'x')).rejects.toThrow(/expected a finite number/);
    await expect(driver.write('status', 1)).rejects.toThrow(/read-only/);
    await expect(driver.write('input', 1)).rejects.toThrow(/input-registers cannot be written/);
    await expect(driver.write('missing', 1)).rejects.toBeInstanceOf(DeviceRequestError);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a raw value that does not fit the type', async () => {
    const { driver } = await setup(imageHandler(image({ 0: 0 })), {
      points: [{ key: 'limit', address: 0, dataType: 'uint16', scale: 0.01, writable: true }],
    });
    await expect(driver.write('limit', 1000)).rejects.toThrow(/raw 100000, which does not fit uint16/);
  });

  it('reports an exception reply with the point name', async () => {
    const { driver } = await setup(() => ({ exception: 3 }), {
      points: [{ key: 'limit', address: 0, dataType: 'uint16', writable: true }],
    });
    const result = await timed(driver.write('limit', 5));
    expect(result.error).toBeInstanceOf(DeviceProtocolError);
    expect((result.error as DeviceProtocolError).code).toBe(3);
    expect((result.error as Error).message).toMatch(/writing point "limit" failed: .*exception 3 \(illegal data value\)/);
  });
});
