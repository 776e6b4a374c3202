import ModbusRTU from 'modbus-serial';
import { modbusTcpDeviceSchema } from '@simtestlab/sync';
import type { Driver } from '../src/drivers/driver';
import { createModbusDriver } from '../src/drivers/modbus';
import { createSilentLogger } from '../src/logger';
import type { ModbusServerCount, ModbusServerListening, ModbusServerWorkerData } from './modbus-server-worker';
import { mean } from './stats';
import { nextMessage, startTsWorker } from '../src/runtime/ts-worker';

/** 1,000 contiguous uint16 holding registers: 8 reads of at most 125 registers. */
const REGISTER_COUNT = 1000;
const BLOCK_REGISTERS = 125;

export interface ModbusRunOptions {
  /** Timed rounds per client. The two clients take turns. */
  rounds: number;
  roundMs: number;
  /** Untimed polling per client before the first round (JIT warm-up, connection set-up). */
  warmupMs: number;
}

/** Polls per second of one client in each round, and the register reads the server saw per poll. */
export interface ModbusClientFigures {
  pollsPerSecond: number[];
  meanPollsPerSecond: number;
  requestsPerPoll: number;
}

export interface ModbusRunResult {
  registers: number;
  library: ModbusClientFigures;
  driver: ModbusClientFigures;
  /** Driver rate over library rate, 0..1. */
  ratio: number;
}

interface Poller {
  poll(): Promise<void>;
  close(): Promise<void>;
}

async function libraryPoller(port: number): Promise<Poller> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(1000);
  return {
    async poll() {
      for (let address = 0; address < REGISTER_COUNT; address += BLOCK_REGISTERS) {
        await client.readHoldingRegisters(address, BLOCK_REGISTERS);
      }
    },
    close: () => new Promise<void>((resolve) => client.close(() => resolve())),
  };
}

/** Starts the driver on a device of 1,000 uint16 points and checks that its first poll returns every register's value. */
async function driverPoller(port: number): Promise<Poller> {
  const device = modbusTcpDeviceSchema.parse({
    key: 'modbus-bench',
    driver: 'modbus-tcp',
    connection: { host: '127.0.0.1', port, unitId: 1, timeoutMs: 1000 },
    points: Array.from({ length: REGISTER_COUNT }, (_, address) => ({
      key: `register_${address}`,
      dataType: 'uint16',
      table: 'holding-register',
      address,
    })),
  });
  const driver: Driver = createModbusDriver(device, { logger: createSilentLogger(), onReadings: () => undefined });
  await driver.start();
  const readings = await driver.read();
  const wrong = readings.filter((reading) => reading.quality !== 'good' || reading.value !== Number(reading.point.slice('register_'.length)));
  if (readings.length !== REGISTER_COUNT || wrong.length > 0) {
    await driver.stop();
    const example = wrong[0] ? `, first wrong: ${JSON.stringify(wrong[0])}` : '';
    throw new Error(`Modbus driver returned ${readings.length} readings with ${wrong.length} wrong or bad${example}`);
  }
  return {
    poll: async () => {
      await driver.read();
    },
    close: () => driver.stop(),
  };
}

/** Polls back to back for `durationMs` and returns the number of polls and the polls per second. */
async function pollFor(poller: Poller, durationMs: number): Promise<{ polls: number; pollsPerSecond: number }> {
  const started = performance.now();
  let polls = 0;
  while (performance.now() - started < durationMs) {
    await poller.poll();
    polls++;
  }
  return { polls, pollsPerSecond: (polls * 1000) / (performance.now() - started) };
}

const isListening = (message: unknown): message is ModbusServerListening => (message as { type?: string }).type === 'listening';
const isCount = (message: unknown): message is ModbusServerCount => (message as { type?: string }).type === 'count';

/**
 * Compares polls per second of 1,000 registers over Modbus TCP on 127.0.0.1: modbus-serial's
 * `readHoldingRegisters` called 8 times in sequence, against our driver's `read()`. Both talk to the
 * simulator's server running in a worker thread, and take turns in rounds so that drift in machine
 * load hits both alike.
 */
export async function runModbusPollRate(options: ModbusRunOptions): Promise<ModbusRunResult> {
  const workerData: ModbusServerWorkerData = { registerCount: REGISTER_COUNT };
  const server = startTsWorker(new URL('./modbus-server-worker.ts', import.meta.url), workerData);
  const pollers: Poller[] = [];
  try {
    const { port } = await nextMessage(server, isListening, 10_000, 'the Modbus server to listen');
    const requestCount = async () => {
      const reply = nextMessage(server, isCount, 5_000, 'the Modbus server request count');
      server.postMessage({ type: 'count' });
      return (await reply).requests;
    };

    const library = await libraryPoller(port);
    pollers.push(library);
    const driver = await driverPoller(port);
    pollers.push(driver);
    await pollFor(library, options.warmupMs);
    await pollFor(driver, options.warmupMs);

    const rates = { library: [] as number[], driver: [] as number[] };
    const requestsPerPoll = { library: [] as number[], driver: [] as number[] };
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, poller] of [['library', library], ['driver', driver]] as const) {
        const before = await requestCount();
        const { polls, pollsPerSecond } = await pollFor(poller, options.roundMs);
        const requests = (await requestCount()) - before;
        rates[name].push(pollsPerSecond);
        requestsPerPoll[name].push(requests / polls);
      }
    }

    const figures = (name: 'library' | 'driver'): ModbusClientFigures => ({
      pollsPerSecond: rates[name],
      meanPollsPerSecond: mean(rates[name]),
      requestsPerPoll: mean(requestsPerPoll[name]),
    });
    const libraryFigures = figures('library');
    const driverFigures = figures('driver');
    return {
      registers: REGISTER_COUNT,
      library: libraryFigures,
      driver: driverFigures,
      ratio: driverFigures.meanPollsPerSecond / libraryFigures.meanPollsPerSecond,
    };
  } finally {
    for (const poller of pollers) await poller.close();
    await server.terminate();
  }
}
