import { setMaxListeners } from 'node:events';
import { ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import type { AnyPoint, BacnetDevice, BacnetPoint, Device } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import type { Driver, DriverContext, PointReading, WriteOptions } from '../driver';
import { DeviceRequestError, DeviceTimeoutError } from '../errors';
import { isDeviceReply } from './bacnet-errors';
import { objectKey, objectTypeCode, propertyCode, type ObjectId } from './bacnet-names';
import { acquireClient, releaseClient } from './client-pool';
import { CovSubscriptions, covProcessId } from './cov-subscriptions';
import { resolveDeviceAddress, type DeviceAddress } from './device-address';
import { readDeviceProfile, readObjectList, standardMaxApdu, type DeviceProfile } from './device-profile';
import { listObjectSummaries, type DeviceObjectSummary } from './object-summaries';
import { objectStatus, planObjectReads, readsPresentValue, toReadings, type ResolvedPoint } from './point-reads';
import { verifyUnits } from './point-units';
import { PropertyReader, propertyKey, type ReadOutcomes } from './property-reader';
import type { RequestTarget, SharedBacnetClient } from './shared-client';
import { encodeWriteValue, readPriorityArray, writeProperty, type PriorityArraySnapshot, type WriteValue } from './write-point';

/** Settings tests use; production code passes none. */
export interface BacnetDriverOptions {
  /** Clock of the COV health checks, in epoch ms. */
  now?: () => number;
}

const DEFAULT_MAX_APDU_OCTETS = 1476;

/** Resolves configured object types and property names; throws DeviceRequestError naming the point. */
function resolvePoints(device: BacnetDevice): ResolvedPoint[] {
  return device.points.map((point) => {
    const propertyId = propertyCode(point.property);
    if (propertyId === undefined) {
      throw new DeviceRequestError(`point "${point.key}" names unknown property "${String(point.property)}"; use a standard name such as "present-value" or a number`, {
        device: device.key,
      });
    }
    return { point, objectId: { type: objectTypeCode(point.objectType), instance: point.instance }, propertyId };
  });
}

/**
 * The BACnet/IP driver: polls present-value, status-flags and out-of-service with
 * ReadPropertyMultiple (falling back as the device requires), takes COV notifications for points
 * with `cov: true` and delivers them through `context.onReadings`, and writes with a priority.
 *
 * It runs in `poll` mode. A poll returns every point: points whose COV subscription delivers take
 * their value from the last notification, and the others are read. When every point is fed by COV, a poll
 * reads the device's system-status, so a device that stops responding still goes offline.
 */
export class BacnetDriver implements Driver {
  readonly mode = 'poll' as const;
  private readonly logger: Logger;
  private client: SharedBacnetClient | undefined;
  private address: DeviceAddress | undefined;
  private reader: PropertyReader | undefined;
  private cov: CovSubscriptions | undefined;
  private abort = BacnetDriver.abortController();
  private resolved: ResolvedPoint[] = [];
  private byKey = new Map<string, ResolvedPoint>();
  private profile: DeviceProfile = {};
  /** Max APDU the device's I-Am gave, when it was found by Who-Is. */
  private iAmMaxApduLength: number | undefined;
  private readonly failing = new Set<string>();

  constructor(
    private readonly device: BacnetDevice,
    private readonly context: DriverContext,
    private readonly options: BacnetDriverOptions = {},
  ) {
    this.logger = context.logger.child({ device: device.key });
  }

  async start(): Promise<AnyPoint[]> {
    if (this.abort.signal.aborted) this.abort = BacnetDriver.abortController();
    const connection = this.device.connection;
    this.resolved = resolvePoints(this.device);
    const client = await this.openClient();
    this.address ??= await this.locate(client);
    const reader = new PropertyReader({
      client,
      target: () => this.target(),
      maxApduLength: connection.maxApduLength ?? DEFAULT_MAX_APDU_OCTETS,
      logger: this.logger,
    });
    this.reader = reader;

    this.profile = await readDeviceProfile(reader, connection.deviceInstance);
    reader.setMaxApduLength(this.maxApduLength());
    if (this.profile.readPropertyMultiple === false) reader.disableReadPropertyMultiple();

    const points = await verifyUnits(reader, this.resolved, this.logger);
    this.resolved = this.resolved.map((resolved, index) => ({ ...resolved, point: points[index]! }));
    this.byKey = new Map(this.resolved.map((resolved) => [resolved.point.key, resolved]));
    await this.startCov(client);

    this.logger.info(
      {
        deviceInstance: connection.deviceInstance,
        address: this.address.replyFrom,
        deviceName: this.profile.name,
        maxApduLength: this.maxApduLength(),
        readPropertyMultiple: reader.usesReadPropertyMultiple,
        points: points.length,
        covObjects: this.cov?.size ?? 0,
      },
      `bacnet device started: ${points.length} points`,
    );
    return points;
  }

  async read(): Promise<PointReading[]> {
    const reader = this.requireStarted('read()');
    this.cov?.checkHealth();
    const polled = this.resolved.filter((resolved) => !this.isFedByCov(resolved));
    const objects = planObjectReads(polled);
    let outcomes: ReadOutcomes;
    try {
      outcomes = objects.length > 0 ? await reader.read(objects) : new Map();
      if (objects.length === 0) await this.checkAlive(reader);
    } catch (error) {
      this.cov?.deviceLost();
      throw error;
    }

    const readings = new Map(toReadings(polled, outcomes, this.failing, this.logger).map((reading) => [reading.point, reading]));
    for (const object of objects) {
      const presentValue = outcomes.get(propertyKey(object.objectId, PropertyIdentifier.PRESENT_VALUE));
      if (presentValue && 'values' in presentValue) this.cov?.recordPoll(object.objectId, presentValue.values, objectStatus(outcomes, object.objectId).flags);
    }
    const fedObjects = new Set<string>();
    for (const resolved of this.resolved) {
      if (!this.isFedByCov(resolved) || fedObjects.has(objectKey(resolved.objectId))) continue;
      fedObjects.add(objectKey(resolved.objectId));
      for (const reading of this.cov!.cachedReadings(resolved.objectId)) readings.set(reading.point, reading);
    }
    return this.resolved.map(
      (resolved) => readings.get(resolved.point.key) ?? { point: resolved.point.key, value: null, quality: 'bad', reason: 'decode' },
    );
  }

  /** Writes a point at `options.priority`, else at its `writePriority` (8 unless configured). */
  async write(pointKey: string, value: number | boolean | string, options: WriteOptions = {}): Promise<void> {
    await this.writeAtPriority(pointKey, value, options.priority);
  }

  /** Reads one point's property (with status flags for present-value) now, for reading back a write. */
  async readPointNow(pointKey: string): Promise<PointReading> {
    const reader = this.requireStarted('readPointNow()');
    const resolved = this.requirePoint(pointKey);
    const outcomes = await reader.read(planObjectReads([resolved]));
    return toReadings([resolved], outcomes, this.failing, this.logger)[0]!;
  }

  /**
   * Writes a value, or null to relinquish, at `priority` (default the point's `writePriority`). Then
   * reads the priority array back and returns it, or undefined for an object without one. Logs when a
   * higher priority keeps control of the object.
   */
  async writeAtPriority(pointKey: string, value: WriteValue, priority?: number): Promise<PriorityArraySnapshot | undefined> {
    const reader = this.requireStarted('write()');
    const resolved = this.requirePoint(pointKey);
    const { point, objectId, propertyId } = resolved;
    if (!point.writable) throw new DeviceRequestError(`point "${pointKey}" is not writable (set writable: true)`, { device: this.device.key });
    const effectivePriority = priority ?? point.writePriority;
    if (!Number.isInteger(effectivePriority) || effectivePriority < 1 || effectivePriority > 16) {
      throw new DeviceRequestError(`write priority must be 1 to 16, got ${effectivePriority}`, { device: this.device.key });
    }
    const commandable = readsPresentValue(resolved);
    await writeProperty({
      client: this.client!,
      target: this.target(),
      objectId,
      propertyId,
      value: encodeWriteValue(point, this.device.key, value),
      ...(commandable ? { priority: effectivePriority } : {}),
    });
    const snapshot = commandable ? await readPriorityArray(reader, point, objectId) : undefined;
    const fields = { point: pointKey, value, priority: commandable ? effectivePriority : undefined, activePriority: snapshot?.activePriority };
    if (snapshot?.activePriority !== undefined && snapshot.activePriority < effectivePriority) {
      this.logger.info(fields, `point ${pointKey} written at priority ${effectivePriority}, but priority ${snapshot.activePriority} keeps control`);
    } else {
      this.logger.info(fields, value === null ? `point ${pointKey} relinquished` : `point ${pointKey} written`);
    }
    return snapshot;
  }

  /** Relinquishes the point's command at `priority` (default its `writePriority`) by writing NULL. */
  relinquish(pointKey: string, priority?: number): Promise<PriorityArraySnapshot | undefined> {
    return this.writeAtPriority(pointKey, null, priority);
  }

  /** Reads a commandable point's priority array; undefined when the object has none. */
  async readPriorityArray(pointKey: string): Promise<PriorityArraySnapshot | undefined> {
    const reader = this.requireStarted('readPriorityArray()');
    const { point, objectId } = this.requirePoint(pointKey);
    return await readPriorityArray(reader, point, objectId);
  }

  /** Reads one property of any object with ReadProperty and returns the values the library decoded. */
  async readProperty(objectId: ObjectId, property: string | number, arrayIndex?: number) {
    const reader = this.requireStarted('readProperty()');
    const propertyId = propertyCode(property);
    if (propertyId === undefined) throw new DeviceRequestError(`unknown property "${String(property)}"`, { device: this.device.key });
    return await reader.readProperty(objectId, propertyId, arrayIndex);
  }

  /** Lists the device's objects with their names, and units for analog objects. */
  async listObjects(): Promise<DeviceObjectSummary[]> {
    const reader = this.requireStarted('listObjects()');
    const ids = await readObjectList(reader, this.device.connection.deviceInstance, {
      maxApduLength: this.maxApduLength(),
      segmentation: this.device.connection.segmentation ?? this.profile.segmentation ?? false,
      exclusive: (run) => this.client!.exclusive(run),
    });
    return await listObjectSummaries(reader, ids);
  }

  /** Counters of the shared client: invoke ids in use, requests waiting, replies dropped as coming from the wrong address. */
  clientStats(): ReturnType<SharedBacnetClient['stats']> | undefined {
    return this.client?.stats();
  }

  async stop(): Promise<void> {
    const cov = this.cov;
    this.cov = undefined;
    await cov?.stop();
    this.abort.abort();
    const client = this.client;
    this.client = undefined;
    this.reader = undefined;
    if (client) releaseClient(this.device.key, client);
  }

  /** Every request in flight listens on the signal, so it may have any number of listeners. */
  private static abortController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  private async openClient(): Promise<SharedBacnetClient> {
    if (this.client) return this.client;
    const connection = this.device.connection;
    const client = acquireClient(this.device.key, {
      localAddress: connection.localAddress,
      localPort: connection.localPort,
      broadcastAddress: connection.broadcastAddress,
      apduTimeoutMs: connection.apduTimeoutMs,
      logger: this.context.logger.child({ client: `${connection.localAddress}:${connection.localPort}` }),
    });
    try {
      await client.open(this.device.key);
    } catch (error) {
      releaseClient(this.device.key, client);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** Finds a device without a configured address by a Who-Is for its instance. */
  private async locate(client: SharedBacnetClient): Promise<DeviceAddress> {
    const connection = this.device.connection;
    if (connection.address !== undefined) return await resolveDeviceAddress(connection.address, connection);
    const found = await client.whoIs({
      lowLimit: connection.deviceInstance,
      highLimit: connection.deviceInstance,
      target: connection.broadcastAddress,
      ...(connection.network === undefined ? {} : { network: connection.network }),
      waitMs: connection.apduTimeoutMs,
    });
    const device = found[0];
    if (!device) {
      throw new DeviceTimeoutError(
        `device instance ${connection.deviceInstance} did not answer a Who-Is sent to ${connection.broadcastAddress} within ${connection.apduTimeoutMs} ms; set connection.address if broadcasts do not reach it`,
        { device: this.device.key },
      );
    }
    this.logger.info({ deviceInstance: device.deviceInstance, address: device.address }, 'found the device by Who-Is');
    this.iAmMaxApduLength = standardMaxApdu(device.maxApduLength);
    return await resolveDeviceAddress(device.address, connection);
  }

  private async startCov(client: SharedBacnetClient): Promise<void> {
    await this.cov?.stop();
    this.cov = undefined;
    const wanted = this.resolved.filter((resolved) => resolved.point.cov);
    for (const resolved of wanted.filter((candidate) => !readsPresentValue(candidate))) {
      this.logger.warn({ point: resolved.point.key }, `point ${resolved.point.key} asks for COV, which covers present-value only: polling it`);
    }
    const covPoints = wanted.filter(readsPresentValue).map((resolved) => resolved.point);
    if (covPoints.length === 0) return;
    if (this.profile.subscribeCov === false) {
      this.logger.warn({ points: covPoints.length }, 'device does not support SubscribeCOV: polling the points that ask for COV');
      return;
    }
    const connection = this.device.connection;
    const objectIds = new Map(this.resolved.map((resolved) => [resolved.point, resolved.objectId] as const));
    this.cov = new CovSubscriptions(
      {
        client,
        target: () => this.target(),
        deviceInstance: connection.deviceInstance,
        processId: covProcessId(this.device.key),
        lifetimeS: connection.covLifetimeS,
        requestBudgetMs: connection.apduTimeoutMs * (connection.retries + 1),
        logger: this.logger,
        onReadings: (readings) => this.context.onReadings(readings),
        ...(this.options.now ? { now: this.options.now } : {}),
      },
      covPoints,
      (point: BacnetPoint) => objectIds.get(point)!,
    );
    await this.cov.start();
  }

  /** Reads system-status when no point needed a request, so a silent device still fails the poll. */
  private async checkAlive(reader: PropertyReader): Promise<void> {
    try {
      await reader.readProperty({ type: ObjectType.DEVICE, instance: this.device.connection.deviceInstance }, PropertyIdentifier.SYSTEM_STATUS);
    } catch (error) {
      if (!isDeviceReply(error)) throw error;
    }
  }

  private isFedByCov(resolved: ResolvedPoint): boolean {
    return this.cov !== undefined && resolved.point.cov && readsPresentValue(resolved) && this.cov.isFed(resolved.objectId);
  }

  private maxApduLength(): number {
    return this.device.connection.maxApduLength ?? this.profile.maxApduLength ?? this.iAmMaxApduLength ?? DEFAULT_MAX_APDU_OCTETS;
  }

  private requireStarted(call: string): PropertyReader {
    if (!this.reader || !this.client || !this.address) throw new DeviceRequestError(`${call} called before start()`, { device: this.device.key });
    return this.reader;
  }

  private requirePoint(pointKey: string): ResolvedPoint {
    const resolved = this.byKey.get(pointKey);
    if (!resolved) throw new DeviceRequestError(`unknown point "${pointKey}"`, { device: this.device.key });
    return resolved;
  }

  private target(): RequestTarget {
    const connection = this.device.connection;
    if (!this.address) throw new DeviceRequestError('the device address is not known before start()', { device: this.device.key });
    return {
      device: this.device.key,
      receiver: this.address.receiver,
      replyFrom: this.address.replyFrom,
      label: `device "${this.device.key}" (instance ${connection.deviceInstance} at ${this.address.replyFrom})`,
      apduTimeoutMs: connection.apduTimeoutMs,
      retries: connection.retries,
      logger: this.logger,
      signal: this.abort.signal,
    };
  }
}

/**
 * Creates the driver for `bacnet` devices (a DriverFactory). Throws DeviceRequestError for a device
 * of another driver.
 */
export function createBacnetDriver(device: Device, context: DriverContext, options: BacnetDriverOptions = {}): BacnetDriver {
  if (device.driver !== 'bacnet') {
    throw new DeviceRequestError(`the BACnet driver cannot run a "${device.driver}" device`, { device: device.key });
  }
  return new BacnetDriver(device, context, options);
}
