import { createServer } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import type { Logger } from '../../logger';
import { SimulatorListenError } from '../listen-error';

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
 * Reads `length` registers from an image. Returns undefined when the unit is silent (a data gap) and
 * throws an error carrying the Modbus exception code otherwise.
 */
function readRegisters(image: (() => RegisterImage | undefined) | undefined, address: number, length: number): number[] | undefined {
  if (image === undefined) throw exception(ModbusException.illegalFunction);
  if (length < 1 || length > MAX_READ_REGISTERS) throw exception(ModbusException.illegalDataValue);
  const registers = image();
  if (registers === undefined) return undefined;
  const values: number[] = [];
  for (let i = 0; i < length; i++) {
    const value = registers.get(address + i);
    if (value === undefined) throw exception(ModbusException.illegalDataAddress);
    values.push(value);
  }
  return values;
}

/** Asks the OS for a free TCP port on `host`, because modbus-serial's server takes port 0 for 502. */
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
 * Starts a Modbus TCP server (modbus-serial ServerTCP) for simulated units. It serves function codes 3
 * and 4 from the units' images. Reads of more than 125 registers get exception 3, unmapped addresses
 * and writes get exception 2, and coil and discrete-input reads get exception 1. Throws a
 * `SimulatorListenError` when the port cannot be bound.
 */
export async function startModbusServer(options: ModbusServerOptions): Promise<RunningModbusServer> {
  const host = options.host ?? '127.0.0.1';
  const { units, logger } = options;
  const unitFor = (unitId: number) => units.get(unitId);
  type ImageOf = (unit: SimulatedUnit) => (() => RegisterImage | undefined) | undefined;
  // One register: modbus-serial calls this form with a callback, so silence means never calling it.
  const single = (imageOf: ImageOf) => (address: number, unitId: number, callback: Callback<number>) => {
    const unit = unitFor(unitId);
    if (unit === undefined) return;
    try {
      const values = readRegisters(imageOf(unit)?.bind(unit), address, 1);
      if (values !== undefined) callback(null, values[0]);
    } catch (error) {
      callback(error as Error);
    }
  };
  // Several registers: the three-argument form, because modbus-serial 8.0.25 loses the exception
  // code of the callback form for function code 4 (it replies with exception 4). A thrown error keeps its
  // code, and promises that never settle leave the request unanswered.
  const multiple = (imageOf: ImageOf) => (address: number, length: number, unitId: number): Array<number | Promise<number>> => {
    const unit = unitFor(unitId);
    const values = unit === undefined ? undefined : readRegisters(imageOf(unit)?.bind(unit), address, length);
    if (values !== undefined) return values;
    const silent = new Promise<number>(() => undefined);
    return new Array<Promise<number>>(length).fill(silent);
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
        throw new SimulatorListenError('Modbus TCP', host, candidate, error);
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
