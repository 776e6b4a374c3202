import { parentPort, workerData } from 'node:worker_threads';
import { createSilentLogger } from '../src/logger';
import { startModbusServer, type SimulatedUnit } from '../src/simulate/modbus/modbus-server';

/**
 * The simulator's Modbus TCP server in its own thread, so the client under test has the other core.
 * Unit 1 serves `registerCount` holding registers from address 0, and register n contains n.
 */

export interface ModbusServerWorkerData {
  registerCount: number;
}

export interface ModbusServerListening {
  type: 'listening';
  port: number;
}

/** Reply to `{ type: 'count' }`: register read requests served so far. */
export interface ModbusServerCount {
  type: 'count';
  requests: number;
}

const { registerCount } = workerData as ModbusServerWorkerData;
const port = parentPort!;
const image = new Map<number, number>();
for (let address = 0; address < registerCount; address++) image.set(address, address);

let requests = 0;
const unit: SimulatedUnit = {
  holdingRegisters() {
    requests++;
    return image;
  },
};

const server = await startModbusServer({ units: new Map([[1, unit]]), logger: createSilentLogger() });
const listening: ModbusServerListening = { type: 'listening', port: server.port };
port.postMessage(listening);

port.on('message', (message: { type: string }) => {
  if (message.type === 'count') {
    const count: ModbusServerCount = { type: 'count', requests };
    port.postMessage(count);
  }
});
