import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { deviceSchema, type Device } from '@simtestlab/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, PointReading } from '../../../src/drivers/driver';
import { DeviceTimeoutError } from '../../../src/drivers/errors';
import { makeDriver } from './driver-helpers';
import { startPymodbus, type PymodbusServer } from './pymodbus-process';

const BAUD_RATE = 19_200;
const clientPath = `/tmp/simtestlab-modbus-rtu-${process.pid}-client`;
const serverPath = `/tmp/simtestlab-modbus-rtu-${process.pid}-server`;

let socat: ChildProcess;
/** socat's stderr: its `-x -v` dump of every byte between driver and server. */
let socatOutput = '';
let server: PymodbusServer;
const drivers: Driver[] = [];

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One direction of traffic through socat: `>` from the driver, `<` from the server. */
interface Transfer {
  direction: '>' | '<';
  bytes: number[];
}

/**
 * Parses socat's `-x -v` dump: a `>` or `<` header line per transfer, hex lines, then `--`.
 * Consecutive transfers in one direction are one frame that arrived in pieces.
 */
function parseSocatDump(text: string): Transfer[] {
  const transfers: Transfer[] = [];
  let current: Transfer | undefined;
  for (const line of text.split('\n')) {
    const header = /^([<>]) \d{4}\/\d\d\/\d\d/.exec(line);
    if (header) {
      const direction = header[1] as '>' | '<';
      const last = transfers.at(-1);
      current = last && last.direction === direction ? last : { direction, bytes: [] };
      if (current !== last) transfers.push(current);
      continue;
    }
    if (line.startsWith('--')) {
      current = undefined;
      continue;
    }
    if (current && /^ [0-9a-f]{2}( |$)/.test(line)) {
      const hex = line.slice(0, 49).trim().split(/\s+/);
      current.bytes.push(...hex.map((byte) => Number.parseInt(byte, 16)));
    }
  }
  return transfers;
}

function rtuDevice(key: string, unitId: number, timeoutMs = 1000): Device {
  return deviceSchema.parse({
    key,
    driver: 'modbus-rtu',
    connection: { path: clientPath, baudRate: BAUD_RATE, unitId, timeoutMs },
    points: [
      { key: 'a', address: 0, dataType: 'uint16' },
      { key: 'b', address: 1, dataType: 'uint16' },
    ],
  });
}

beforeAll(async () => {
  socat = spawn(
    'socat',
    ['-d', '-d', '-x', '-v', `pty,raw,echo=0,link=${clientPath}`, `pty,raw,echo=0,link=${serverPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  socat.stderr!.on('data', (chunk: Buffer) => {
    socatOutput += chunk.toString();
  });
  const spawnError = new Promise<Error>((resolve) => socat.once('error', resolve));
  const ready = waitFor(() => existsSync(clientPath) && existsSync(serverPath), 'the socat pty pair (is socat installed?)');
  const failure = await Promise.race([ready.then(() => undefined), spawnError]);
  if (failure) throw new Error(`cannot run socat (install the socat package): ${failure.message}`);
  server = await startPymodbus(
    { transport: 'rtu', serial: serverPath, baudrate: BAUD_RATE },
    { 1: { hr: { 0: 101, 1: 102 } }, 2: { hr: { 0: 201, 1: 202 } } },
  );
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
});

afterAll(async () => {
  await server?.stop();
  if (socat && socat.exitCode === null) {
    const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
    socat.kill('SIGTERM');
    await exited;
  }
});

describe('modbus rtu over a pty pair', () => {
  it('reads two unit ids on one bus, one request at a time', async () => {
    const unitOne = makeDriver(rtuDevice('meter-1', 1)).driver;
    const unitTwo = makeDriver(rtuDevice('meter-2', 2)).driver;
    drivers.push(unitOne, unitTwo);
    await Promise.all([unitOne.start(), unitTwo.start()]);
    const trafficBefore = parseSocatDump(socatOutput).length;

    for (let round = 0; round < 3; round++) {
      const [first, second] = await Promise.all([unitOne.read(), unitTwo.read()]);
      expect(first.map((reading) => reading.value)).toEqual([101, 102]);
      expect(second.map((reading) => reading.value)).toEqual([201, 202]);
    }

    await waitFor(() => parseSocatDump(socatOutput).length >= trafficBefore + 12, 'socat to log the traffic');
    const transfers = parseSocatDump(socatOutput).slice(trafficBefore);
    expect(transfers.map((transfer) => transfer.direction).join('')).toBe('><><><><><><');
    for (let i = 0; i < transfers.length; i += 2) {
      const request = transfers[i]!;
      const reply = transfers[i + 1]!;
      expect(request.bytes.length, 'request frame length').toBe(8);
      expect(reply.bytes[0], 'reply unit id').toBe(request.bytes[0]);
    }
    const units = transfers.filter((transfer) => transfer.direction === '>').map((transfer) => transfer.bytes[0]);
    expect(new Set(units)).toEqual(new Set([1, 2]));
  });

  it('keeps the bus open when one device stops', async () => {
    const unitOne = makeDriver(rtuDevice('meter-1', 1)).driver;
    const unitTwo = makeDriver(rtuDevice('meter-2', 2)).driver;
    drivers.push(unitTwo);
    await Promise.all([unitOne.start(), unitTwo.start()]);
    await unitOne.read();
    await unitOne.stop();
    expect((await unitTwo.read()).map((reading) => reading.value)).toEqual([201, 202]);
  });

  it('times out a missing unit and recovers for the next request', async () => {
    const ghost = makeDriver(rtuDevice('ghost', 7, 300)).driver;
    const unitTwo = makeDriver(rtuDevice('meter-2', 2)).driver;
    drivers.push(ghost, unitTwo);
    await Promise.all([ghost.start(), unitTwo.start()]);
    const [ghostResult, unitTwoResult] = await Promise.allSettled([ghost.read(), unitTwo.read()]);
    expect(ghostResult.status).toBe('rejected');
    expect((ghostResult as PromiseRejectedResult).reason).toBeInstanceOf(DeviceTimeoutError);
    expect(unitTwoResult.status).toBe('fulfilled');
    const readings = (unitTwoResult as PromiseFulfilledResult<PointReading[]>).value;
    expect(readings.map((reading) => reading.value)).toEqual([201, 202]);
  });

  it('rejects serial settings that differ from the open bus', async () => {
    const unitOne = makeDriver(rtuDevice('meter-1', 1)).driver;
    drivers.push(unitOne);
    await unitOne.start();
    const other = deviceSchema.parse({ ...rtuDevice('meter-9', 9), connection: { path: clientPath, baudRate: 9600, unitId: 9 } });
    const mismatched = makeDriver(other).driver;
    await expect(mismatched.start()).rejects.toThrow(/already open at 19200 baud, 8N1 for meter-1; device meter-9 asks for 9600 baud, 8N1/);
  });
});

describe('socat dump parser', () => {
  it('merges the pieces of a frame', () => {
    const dump = [
      '> 2026/01/01 00:00:00.000001  length=3 from=0 to=2',
      ' 01 03 00                                         ...',
      '--',
      '> 2026/01/01 00:00:00.000002  length=5 from=3 to=7',
      ' 00 00 01 84 0a                                   .....',
      '--',
      '< 2026/01/01 00:00:00.000003  length=2 from=0 to=1',
      ' 01 03                                            ..',
      '--',
    ].join('\n');
    expect(parseSocatDump(dump)).toEqual([
      { direction: '>', bytes: [1, 3, 0, 0, 0, 1, 0x84, 0x0a] },
      { direction: '<', bytes: [1, 3] },
    ]);
  });
});
