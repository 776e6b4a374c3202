import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type ModbusRTU from 'modbus-serial';
import type { ModbusTable } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { DeviceConnectionError, DeviceTimeoutError, RequestNotSentError, type DeviceError } from '../errors';
import { MbapUnitRewriter } from './mbap-unit-rewriter';
import { translateModbusError } from './modbus-errors';
import { describeEndpoint, interFrameDelayMs, openRtuClient, openTcpClient, type ModbusEndpoint } from './transport';

/**
 * The single stateful core of the Modbus driver: one client per TCP device or per serial path,
 * with request serialization, timeouts, the list of requests in flight and reconnect backoff.
 */

/** Delay before reconnecting after failed attempts: doubles from `initialMs` up to `maxMs`. */
export interface ReconnectBackoff {
  initialMs: number;
  maxMs: number;
}

export const defaultReconnectBackoff: ReconnectBackoff = { initialMs: 500, maxMs: 30_000 };

export interface ConnectionOptions {
  /** Logger with the connection in its context; requests log through their own device logger. */
  logger: Logger;
  /** Unit ids a TCP reply may carry besides the request's, for gateways that reply with 0 or 255. */
  acceptUnitIds?: readonly number[];
  connectTimeoutMs: number;
  backoff?: ReconnectBackoff;
  /** Clock for the reconnect backoff, in epoch ms; tests pass a fake one. */
  now?: () => number;
}

/** The sender of a request: its device, unit id, timeout and the signal that cancels it. */
export interface RequestTarget {
  device: string;
  unitId: number;
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

interface InFlightRequest {
  device: string;
  description: string;
  reject(error: DeviceError): void;
}

type NodeCallback<T> = (error: unknown, result: T) => void;

/**
 * A Modbus client on one TCP connection or one serial bus, built on modbus-serial 8.0.
 *
 * Requests run one at a time, so RTU devices sharing a bus never talk over each other and a TCP reply
 * always belongs to the only request in flight. Each request has its own timeout, because
 * modbus-serial has none by default. After a timeout the connection is dropped. On TCP the late reply
 * then arrives on a closed socket, so it is never matched to a later request, which could happen
 * because modbus-serial's transaction ids wrap at 256 and stale entries stay. On RTU the port is
 * reopened only after a quiet interval of one timeout.
 * When the socket or port closes, requests in flight are rejected with DeviceConnectionError, because
 * modbus-serial leaves them pending. The next request reconnects; failed connects back off.
 */
export class ModbusConnection {
  readonly label: string;
  private readonly logger: Logger;
  private readonly backoff: ReconnectBackoff;
  private readonly now: () => number;
  private readonly acceptUnitIds: ReadonlySet<number>;
  private readonly inFlight = new Map<number, InFlightRequest>();
  private queue: Promise<unknown> = Promise.resolve();
  private client: ModbusRTU | undefined;
  private socket: Socket | undefined;
  private nextRequestId = 1;
  private currentUnitId: number | undefined;
  private failedConnects = 0;
  private nextConnectAt = 0;
  private quietUntil = 0;
  private lastFrameAt = 0;
  private closed = false;

  constructor(
    readonly endpoint: ModbusEndpoint,
    private readonly options: ConnectionOptions,
  ) {
    this.label = describeEndpoint(endpoint);
    this.logger = options.logger;
    this.backoff = options.backoff ?? defaultReconnectBackoff;
    this.now = options.now ?? Date.now;
    this.acceptUnitIds = new Set(options.acceptUnitIds ?? []);
  }

  /** Reads holding (FC 3) or input (FC 4) registers; returns their bytes as received. */
  readRegisters(target: RequestTarget, table: ModbusTable, address: number, count: number): Promise<Buffer> {
    const functionCode = table === 'input-register' ? 4 : 3;
    const description = `FC ${functionCode} read of ${count} ${table}s at ${address}`;
    return this.request<{ buffer: Buffer }>(target, description, (client, done) => {
      if (functionCode === 4) client.writeFC4(target.unitId, address, count, done);
      else client.writeFC3(target.unitId, address, count, done);
    }).then((result) => result.buffer);
  }

  /** Reads coils (FC 1) or discrete inputs (FC 2). */
  readBits(target: RequestTarget, table: ModbusTable, address: number, count: number): Promise<boolean[]> {
    const functionCode = table === 'coil' ? 1 : 2;
    const description = `FC ${functionCode} read of ${count} ${table}s at ${address}`;
    return this.request<{ data: boolean[] }>(target, description, (client, done) => {
      if (functionCode === 1) client.writeFC1(target.unitId, address, count, done);
      else client.writeFC2(target.unitId, address, count, done);
    }).then((result) => result.data.slice(0, count));
  }

  /** Writes one coil (FC 5). */
  async writeCoil(target: RequestTarget, address: number, state: boolean): Promise<void> {
    await this.request(target, `FC 5 write of coil ${address}`, (client, done) =>
      client.writeFC5(target.unitId, address, state, done),
    );
  }

  /** Writes several coils (FC 15). */
  async writeCoils(target: RequestTarget, address: number, states: boolean[]): Promise<void> {
    await this.request(target, `FC 15 write of ${states.length} coils at ${address}`, (client, done) =>
      client.writeFC15(target.unitId, address, states, done),
    );
  }

  /** Writes one holding register (FC 6). */
  async writeRegister(target: RequestTarget, address: number, value: number): Promise<void> {
    await this.request(target, `FC 6 write of holding register ${address}`, (client, done) =>
      client.writeFC6(target.unitId, address, value, done),
    );
  }

  /** Writes consecutive holding registers (FC 16). */
  async writeRegisters(target: RequestTarget, address: number, values: number[]): Promise<void> {
    const description = `FC 16 write of ${values.length} holding registers at ${address}`;
    await this.request(target, description, (client, done) => client.writeFC16(target.unitId, address, values, done));
  }

  /** Closes the connection for good and rejects the requests in flight. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.drop('connection closed by the driver');
    await this.queue;
  }

  private request<T>(
    target: RequestTarget,
    description: string,
    start: (client: ModbusRTU, done: NodeCallback<T>) => void,
  ): Promise<T> {
    const task = async (): Promise<T> => {
      if (target.signal?.aborted) {
        throw new RequestNotSentError(`${description} cancelled: the driver stopped`, { device: target.device });
      }
      const client = await this.open(target);
      await this.waitForBusIdle();
      return await this.send(client, target, description, start);
    };
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private send<T>(
    client: ModbusRTU,
    target: RequestTarget,
    description: string,
    start: (client: ModbusRTU, done: NodeCallback<T>) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextRequestId++;
      const onAbort = (): void => {
        settle();
        // The reply may still come, so drop the connection before it can be matched to a later request.
        this.drop(`${description} cancelled`, target.timeoutMs);
        reject(new DeviceConnectionError(`${description} cancelled: the driver stopped`, { device: target.device }));
      };
      const timer = setTimeout(() => {
        settle();
        target.logger.debug({ unitId: target.unitId, timeoutMs: target.timeoutMs }, `${description} timed out`);
        this.drop(`${description} timed out`, target.timeoutMs);
        const message = `${description} on ${this.label} (unit ${target.unitId}) timed out after ${target.timeoutMs} ms`;
        reject(new DeviceTimeoutError(message, { device: target.device }));
      }, target.timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        target.signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(id);
        this.currentUnitId = undefined;
        this.lastFrameAt = performance.now();
      };

      this.inFlight.set(id, {
        device: target.device,
        description,
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      target.signal?.addEventListener('abort', onAbort, { once: true });
      this.currentUnitId = target.unitId;
      target.logger.trace({ unitId: target.unitId, connection: this.label }, `modbus request: ${description}`);

      start(client, (error, result) => {
        // A callback after a timeout, an abort or a close belongs to a request already rejected.
        if (!this.inFlight.has(id)) return;
        settle();
        if (error === null || error === undefined) {
          resolve(result);
          return;
        }
        const translated = translateModbusError(error, { device: target.device, description, unitId: target.unitId });
        if (translated.resync) this.drop(`invalid reply to ${description}`, target.timeoutMs);
        reject(translated.error);
      });
    });
  }

  private async waitForBusIdle(): Promise<void> {
    if (this.endpoint.transport !== 'rtu') return;
    const idleMs = performance.now() - this.lastFrameAt;
    const gapMs = interFrameDelayMs(this.endpoint);
    if (idleMs < gapMs) await sleep(gapMs - idleMs);
  }

  private async open(target: RequestTarget): Promise<ModbusRTU> {
    if (this.client?.isOpen) return this.client;
    if (this.closed) {
      throw new RequestNotSentError(`connection to ${this.label} is closed`, { device: target.device });
    }
    const waitMs = this.nextConnectAt - this.now();
    if (waitMs > 0) {
      const message =
        `not reconnecting to ${this.label} for another ${Math.ceil(waitMs)} ms ` +
        `after ${this.failedConnects} failed attempt${this.failedConnects === 1 ? '' : 's'}`;
      throw new RequestNotSentError(message, { device: target.device });
    }
    const quietMs = this.quietUntil - performance.now();
    if (quietMs > 0) await sleep(quietMs);

    try {
      this.client = await this.connect();
    } catch (error) {
      throw this.connectFailed(error, target);
    }
    if (this.closed) {
      this.drop('connection closed by the driver');
      throw new RequestNotSentError(`connection to ${this.label} was closed while connecting`, { device: target.device });
    }
    if (this.failedConnects > 0) {
      this.logger.info({ failedAttempts: this.failedConnects }, `reconnected to ${this.label}`);
    } else {
      this.logger.debug(`connected to ${this.label}`);
    }
    this.failedConnects = 0;
    this.nextConnectAt = 0;
    return this.client;
  }

  private connectFailed(error: unknown, target: RequestTarget): RequestNotSentError {
    this.failedConnects++;
    const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.failedConnects - 1));
    this.nextConnectAt = this.now() + delayMs;
    const reason = error instanceof Error ? error.message : String(error);
    // Log the 1st, 2nd, 4th, 8th ... failure, at error level from the 4th on, so a dead device does
    // not flood the log.
    const attempts = this.failedConnects;
    if ((attempts & (attempts - 1)) === 0) {
      const level = attempts >= 4 ? 'error' : 'warn';
      this.logger[level]({ err: error, failedAttempts: attempts, retryInMs: delayMs }, `cannot connect to ${this.label}`);
    }
    const message = `cannot connect to ${this.label}: ${reason}; next attempt in ${delayMs} ms`;
    return new RequestNotSentError(message, { device: target.device, cause: error });
  }

  private async connect(): Promise<ModbusRTU> {
    const endpoint = this.endpoint;
    if (endpoint.transport === 'tcp') {
      const { client, socket } = await openTcpClient(endpoint, this.options.connectTimeoutMs);
      this.attachSocket(socket);
      return client;
    }
    return await openRtuClient(endpoint, {
      onError: (error) => this.logger.warn({ err: error }, `serial port error on ${this.label}`),
      onClose: (client) => {
        if (this.client === client) this.drop(`serial port ${this.label} closed`);
      },
    });
  }

  /**
   * Watches our own socket rather than modbus-serial's `close` event: its TCP port does not emit
   * `close` after a socket error such as ECONNRESET.
   */
  private attachSocket(socket: Socket): void {
    this.socket = socket;
    const rewriter = new MbapUnitRewriter(this.acceptUnitIds, () => this.currentUnitId);
    // Runs before modbus-serial's own listener, which the TcpPort registered when it was linked.
    socket.prependListener('data', (chunk: Buffer) => {
      this.logger.trace({ frame: chunk.toString('hex'), connection: this.label }, 'modbus tcp bytes received');
      if (this.acceptUnitIds.size > 0 && rewriter.process(chunk) > 0) {
        this.logger.trace({ unitId: this.currentUnitId }, 'accepted a reply from a gateway unit id');
      }
    });
    socket.on('error', (error) => {
      this.logger.debug({ err: error }, `socket error on ${this.label}`);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.logger.debug(`connection to ${this.label} closed`);
      this.drop(`connection to ${this.label} closed`);
    });
  }

  /**
   * Closes the socket or port and rejects every request in flight. `quietMs` keeps an RTU port
   * closed that long, so that a late reply is lost instead of being taken for the next reply.
   */
  private drop(reason: string, quietMs = 0): void {
    for (const request of [...this.inFlight.values()]) {
      const message = `${request.description} on ${this.label} failed: ${reason}`;
      request.reject(new DeviceConnectionError(message, { device: request.device }));
    }
    const client = this.client;
    const socket = this.socket;
    this.client = undefined;
    this.socket = undefined;
    if (this.endpoint.transport === 'rtu') this.quietUntil = performance.now() + quietMs;
    if (socket) {
      socket.destroy();
    } else if (client) {
      client.close((error: unknown) => {
        if (error) this.logger.debug({ err: error }, `closing ${this.label} failed`);
      });
    }
  }
}
