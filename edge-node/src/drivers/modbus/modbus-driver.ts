import type { AnyPoint, Device, ModbusDevice, ModbusPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import type { Driver, DriverContext, PointReading } from '../driver';
import { DeviceRequestError } from '../errors';
import { planBlocks, type ReadBlock, type TableSpan } from './block-plan';
import type { ModbusConnection, ReconnectBackoff, RequestTarget } from './connection';
import { acquireConnection, releaseConnection } from './connection-pool';
import { decodeScaleFactor, toReadings } from './point-values';
import { readPlan } from './read-blocks';
import { discoverSunspec } from './sunspec-discovery';
import { describeEndpoint, type ModbusEndpoint } from './transport';
import { writePoint } from './write-point';

/** Settings tests use to run reconnect backoff on a fake clock; production code passes none. */
export interface ModbusDriverOptions {
  backoff?: ReconnectBackoff;
  /** Clock for the reconnect backoff, in epoch ms. */
  now?: () => number;
}

function endpointOf(device: ModbusDevice): ModbusEndpoint {
  if (device.driver === 'modbus-tcp') {
    return { transport: 'tcp', host: device.connection.host, port: device.connection.port };
  }
  const { path, baudRate, parity, dataBits, stopBits } = device.connection;
  return { transport: 'rtu', path, baudRate, parity, dataBits, stopBits };
}

/** Discovered points first; a configured point with the same key replaces the discovered one. */
function mergePoints(discovered: readonly ModbusPoint[], configured: readonly ModbusPoint[]): ModbusPoint[] {
  const configuredKeys = new Set(configured.map((point) => point.key));
  return [...discovered.filter((point) => !configuredKeys.has(point.key)), ...configured];
}

class ModbusDriver implements Driver {
  readonly mode = 'poll' as const;
  private readonly logger: Logger;
  /** The edge node's logger without the device, for a connection that RTU devices may share. */
  private readonly connectionLogger: Logger;
  private connection: ModbusConnection | undefined;
  private abort = new AbortController();
  private points: ModbusPoint[] = [];
  private pointsByKey = new Map<string, ModbusPoint>();
  private plan: ReadBlock[] | undefined;

  constructor(
    private readonly device: ModbusDevice,
    context: DriverContext,
    private readonly options: ModbusDriverOptions,
  ) {
    this.logger = context.logger.child({ device: device.key });
    this.connectionLogger = context.logger;
  }

  async start(): Promise<AnyPoint[]> {
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const connection = this.acquire();
    let points = this.device.points;
    let fillers: TableSpan[] = [];

    if (this.device.sunspec) {
      const target = this.target();
      const discovery = await discoverSunspec(
        (address, count) => connection.readRegisters(target, 'holding-register', address, count),
        { device: this.device.key, baseAddress: this.device.sunspec.baseAddress, models: this.device.sunspec.models, logger: this.logger },
      );
      points = mergePoints(discovery.points, this.device.points);
      fillers = discovery.fillers;
    }

    this.points = points;
    this.pointsByKey = new Map(points.map((point) => [point.key, point]));
    this.warnAboutMissingScaleFactors();
    this.plan = planBlocks(points, { maxBlockRegisters: this.device.connection.maxBlockRegisters, fillers }, (point) =>
      point.scaleFactor === undefined ? undefined : this.pointsByKey.get(point.scaleFactor),
    );
    this.logger.info(
      { points: points.length, blocks: this.plan.length, connection: connection.label },
      `modbus device started: ${points.length} points in ${this.plan.length} block reads`,
    );
    return points;
  }

  async read(): Promise<PointReading[]> {
    const connection = this.connection;
    if (!connection || !this.plan) {
      throw new DeviceRequestError('read() called before start()', { device: this.device.key });
    }
    const cycle = await readPlan(connection, this.target(), this.plan, this.logger);
    this.plan = cycle.plan;
    return toReadings(this.points, cycle.results);
  }

  /**
   * Reads one point (with its SunSpec scale factor) in one block read per table, for reading back a
   * write. Modbus has no command priorities, so the driver has no `relinquish`.
   */
  async readPointNow(pointKey: string): Promise<PointReading> {
    const connection = this.connection;
    if (!connection || !this.plan) {
      throw new DeviceRequestError('readPointNow() called before start()', { device: this.device.key });
    }
    const point = this.pointsByKey.get(pointKey);
    if (!point) throw new DeviceRequestError(`unknown point "${pointKey}"`, { device: this.device.key });
    const factorPoint = point.scaleFactor === undefined ? undefined : this.pointsByKey.get(point.scaleFactor);
    const points = factorPoint ? [point, factorPoint] : [point];
    const plan = planBlocks(points, { maxBlockRegisters: this.device.connection.maxBlockRegisters }, (candidate) =>
      candidate.scaleFactor === undefined ? undefined : this.pointsByKey.get(candidate.scaleFactor),
    );
    const cycle = await readPlan(connection, this.target(), plan, this.logger);
    return toReadings(points, cycle.results)[0]!;
  }

  async write(pointKey: string, value: number | boolean | string): Promise<void> {
    const connection = this.connection;
    if (!connection || !this.plan) {
      throw new DeviceRequestError('write() called before start()', { device: this.device.key });
    }
    const point = this.pointsByKey.get(pointKey);
    if (!point) throw new DeviceRequestError(`unknown point "${pointKey}"`, { device: this.device.key });
    const target = this.target();
    await writePoint({
      connection,
      target,
      point,
      value,
      readScaleFactor: () => this.readScaleFactor(connection, target, point),
    });
    this.logger.info({ point: pointKey, value }, 'point written');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const connection = this.connection;
    this.connection = undefined;
    this.plan = undefined;
    if (connection) await releaseConnection(this.device.key, connection);
  }

  private acquire(): ModbusConnection {
    if (this.connection) return this.connection;
    const endpoint = endpointOf(this.device);
    const { acceptUnitIds, timeoutMs } = this.device.connection;
    if (endpoint.transport === 'rtu' && acceptUnitIds.length > 0) {
      // NOTE: modbus-serial's buffered RTU port only recognizes reply frames from the requested unit,
      // so on RTU a reply from another unit id times out.
      this.logger.warn({ acceptUnitIds }, 'connection.acceptUnitIds applies to Modbus TCP only and is ignored on RTU');
    }
    this.connection = acquireConnection(this.device.key, endpoint, {
      logger: this.connectionLogger.child({ connection: describeEndpoint(endpoint) }),
      acceptUnitIds,
      connectTimeoutMs: timeoutMs,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    return this.connection;
  }

  private target(): RequestTarget {
    const { unitId, timeoutMs } = this.device.connection;
    return { device: this.device.key, unitId, timeoutMs, logger: this.logger, signal: this.abort.signal };
  }

  private async readScaleFactor(connection: ModbusConnection, target: RequestTarget, point: ModbusPoint): Promise<number> {
    const factorPoint = point.scaleFactor === undefined ? undefined : this.pointsByKey.get(point.scaleFactor);
    if (!factorPoint) {
      throw new DeviceRequestError(`scale factor "${point.scaleFactor}" of point "${point.key}" is not a point of the device`, {
        device: this.device.key,
      });
    }
    const bytes = await connection.readRegisters(target, factorPoint.table, factorPoint.address, 1);
    const factor = decodeScaleFactor({ kind: 'registers', bytes });
    if (!factor.ok) {
      throw new DeviceRequestError(`scale factor "${factorPoint.key}" of point "${point.key}" is unusable (${factor.reason})`, {
        device: this.device.key,
      });
    }
    return factor.value;
  }

  private warnAboutMissingScaleFactors(): void {
    for (const point of this.points) {
      if (point.scaleFactor !== undefined && !this.pointsByKey.has(point.scaleFactor)) {
        this.logger.warn({ point: point.key, scaleFactor: point.scaleFactor }, 'scale factor point not found; the point will read bad');
      }
    }
  }
}

/**
 * Creates the driver for `modbus-tcp` and `modbus-rtu` devices (a DriverFactory). `start()` connects,
 * runs SunSpec discovery when the device has `sunspec` set, and plans the block reads. Throws
 * DeviceRequestError for a device of another driver.
 */
export function createModbusDriver(device: Device, context: DriverContext, options: ModbusDriverOptions = {}): Driver {
  if (device.driver !== 'modbus-tcp' && device.driver !== 'modbus-rtu') {
    throw new DeviceRequestError(`the Modbus driver cannot run a "${device.driver}" device`, { device: device.key });
  }
  return new ModbusDriver(device, context, options);
}
