import { createServer } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import type { Logger } from '../../logger';

/** Register values by 0-based protocol address. */
export type RegisterImage = ReadonlyMap<number, number>;

/**
 * One simulated Modbus unit. Each function returns the table's image at the time of the request, or
 * undefined while the unit is silent (a data gap), in which case no reply is sent.
 */
export interface SimulatedUnit {
  holdingRegisters?(): RegisterImage | undefined;
  inputRegisters?(): RegisterImage | undefined;
}

/** Options of a simulated Modbus TCP server. */
export interface ModbusServerOptions {
  /** Interface to bind; keep the default 127.0.0.1 unless other hosts must reach the simulator. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Units by unit id. Requests for other ids get no reply, as behind a gateway with nothing there. */
  units: ReadonlyMap<number, SimulatedUnit>;
  logger: Logger;
}

/** A running simulated Modbus TCP server. */
export interface RunningModbusServer {
  host: string;
  port: number;
  /** Closes the listener and every client connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Modbus exception codes (Modbus application protocol specification v1.1b3, section 7). */
export const ModbusException = {
  illegalFunction: 1,
  illegalDataAddress: 2,
  illegalDataValue: 3,
} as const;

/** Most registers one read may request (Modbus application protocol specification v1.1b3, 6.3). */
export const MAX_READ_REGISTERS = 125;

type Callback<T> = (error: Error | null, value?: T) => void;

function exception(code: number): Error {
  return Object.assign(new Error(`Modbus exception ${code}`), { modbusErrorCode: code });
}

/**
 * Reads `length` registers from an image, or reports the Modbus exception. Returns without calling
 * back when the unit is unknown or silent, so the client times out as with a device that is off.
 */
function readRegisters(
  image: (() => RegisterImage | undefined) | undefined,
  address: number,
  length: number,
  callback: Callback<number[]>,
): void {
  if (image === undefined) return callback(exception(ModbusException.illegalFunction));
  if (length < 1 || length > MAX_READ_REGISTERS) return callback(exception(ModbusException.illegalDataValue));
  const registers = image();
  if (registers === undefined) return;
  const values: number[] = [];
  for (let i = 0; i < length; i++) {
    const value = registers.get(address + i);
    if (value === undefined) return callback(exception(ModbusException.illegalDataAddress));
    values.push(value);
  }
  callback(null, values);
}

/** Asks the OS for a free TCP port on `host`. modbus-serial's server treats port 0 as 502, so it cannot. */
async function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function listen(vector: object, host: string, port: number): Promise<ServerTCP> {
  // No unitID option: the server then passes every unit id to the vector, which picks the unit.
  const server = new ServerTCP(vector as never, { host, port });
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('serverError', (error: Error | null) => reject(error));
  });
  return server;
}

/**
 * Starts a Modbus TCP server (modbus-serial ServerTCP) for simulated units. Serves function codes 3
 * and 4 from the units' images; replies exception 3 to reads of more than 125 registers, exception 2
 * to unmapped addresses and writes, and exception 1 to coil and discrete-input reads.
 */
export async function startModbusServer(options: ModbusServerOptions): Promise<RunningModbusServer> {
  const host = options.host ?? '127.0.0.1';
  const { units, logger } = options;
  const unitFor = (unitId: number) => units.get(unitId);
  const single = (read: (unit: SimulatedUnit) => (() => RegisterImage | undefined) | undefined) =>
    (address: number, unitId: number, callback: Callback<number>) => {
      const unit = unitFor(unitId);
      if (unit === undefined) return;
      readRegisters(read(unit)?.bind(unit), address, 1, (error, values) => callback(error, values?.[0]));
    };
  const multiple = (read: (unit: SimulatedUnit) => (() => RegisterImage | undefined) | undefined) =>
    (address: number, length: number, unitId: number, callback: Callback<number[]>) => {
      const unit = unitFor(unitId);
      if (unit === undefined) return;
      readRegisters(read(unit)?.bind(unit), address, length, callback);
    };

  const vector = {
    getHoldingRegister: single((unit) => unit.holdingRegisters),
    getMultipleHoldingRegisters: multiple((unit) => unit.holdingRegisters),
    getInputRegister: single((unit) => unit.inputRegisters),
    getMultipleInputRegisters: multiple((unit) => unit.inputRegisters),
    getCoil: (_address: number, _unitId: number, callback: Callback<boolean>) => callback(exception(ModbusException.illegalFunction)),
    getDiscreteInput: (_address: number, _unitId: number, callback: Callback<boolean>) =>
      callback(exception(ModbusException.illegalFunction)),
    setRegister: (_address: number, _value: number, _unitId: number, callback: Callback<never>) =>
      callback(exception(ModbusException.illegalDataAddress)),
    setRegisterArray: (_address: number, _value: number[], _unitId: number, callback: Callback<never>) =>
      callback(exception(ModbusException.illegalDataAddress)),
    setCoil: (_address: number, _value: boolean, _unitId: number, callback: Callback<never>) =>
      callback(exception(ModbusException.illegalFunction)),
  };

  let server: ServerTCP | undefined;
  let port = options.port ?? 0;
  // A free port found by probing can be taken by another process before the server binds it.
  for (let attempt = 1; server === undefined; attempt++) {
    const candidate = port === 0 ? await findFreePort(host) : port;
    try {
      server = await listen(vector, host, candidate);
      port = candidate;
    } catch (error) {
      const retry = options.port === undefined || options.port === 0;
      if (!retry || attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        throw new Error(`failed to listen for Modbus TCP on ${host}:${candidate}`, { cause: error });
      }
    }
  }
  server.on('socketError', (error: Error | null) => logger.debug({ err: error }, 'Modbus client connection failed'));

  let closing: Promise<void> | undefined;
  const running = server;
  return {
    host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => running.close(() => resolve()));
      return closing;
    },
  };
}
