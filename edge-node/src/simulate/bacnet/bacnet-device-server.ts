import {
  AbortReason,
  ErrorClass,
  ErrorCode,
  MaxApduLengthAccepted,
  PropertyIdentifier,
  RejectReason,
  Segmentation,
  type BACNetAddress,
  type BACNetAppData,
} from '@bacnet-js/client';
import type { BacnetObjectType } from '@simtestlab/sync';
import { ARRAY_ALL, objectKey, objectTypeCode, type ObjectId } from '../../drivers/bacnet/bacnet-names';
import { BacnetClient, type BacnetClientInstance } from '../../drivers/bacnet/bacnet-library';
import { UdpTransport } from '../../drivers/bacnet/udp-transport';
import type { Logger } from '../../logger';
import { CovPublisher, type CovSubscriptionInfo } from './cov-publisher';
import { DeviceObject } from './device-object';
import { sendAbort, sendIAm, sendReject } from './raw-apdu';
import { readPropertyAckLength, readPropertyMultipleAckLength, type PropertyResultSize } from './reply-size';
import { PropertyAccessError, type SimulatedObject } from './simulated-object';

/** Options of a simulated BACnet/IP device. */
export interface BacnetDeviceOptions {
  /** Address to bind; 0.0.0.0 also receives broadcast Who-Is. Default 127.0.0.1. */
  host?: string;
  /** UDP port. Keep it off 47808 on 127.0.0.1 when a client runs on the same host: see docs/gotchas.md. */
  port: number;
  /** Address the library sends broadcasts to; the device replies to Who-Is by unicast. Default 127.255.255.255. */
  broadcastAddress?: string;
  deviceInstance: number;
  deviceName: string;
  modelName?: string;
  /** Vendor identifier; default 0, ASHRAE's, since the simulator has none assigned. */
  vendorId?: number;
  objects: readonly SimulatedObject[];
  /** Largest APDU the device accepts and sends, in octets. Replies that do not fit are aborted. Default 1476. */
  maxApduLength?: number;
  /** Whether the device implements ReadPropertyMultiple; without it such requests are rejected. Default true. */
  readPropertyMultiple?: boolean;
  /** How often present values are compared for COV notifications, in ms. Default 1000. */
  covIntervalMs?: number;
  logger: Logger;
}

/** One confirmed request the device received, for tests that count what a client asked. */
export interface RequestRecord {
  service: 'ReadProperty' | 'ReadPropertyMultiple' | 'WriteProperty' | 'SubscribeCOV';
  /** Keys (`type:instance`) of the objects the request named. */
  objects: string[];
  from: string;
}

/** A running simulated device. */
export interface RunningBacnetDevice {
  host: string;
  port: number;
  deviceInstance: number;
  /** `host:port`. */
  endpoint: string;
  /** Returns an object of the device, for tests that force its status or read its state. */
  object(objectType: BacnetObjectType, instance: number): SimulatedObject | undefined;
  /** While silent the device replies to nothing, as if it were unplugged. */
  setSilent(silent: boolean): void;
  /** Stops or resumes sending COV notifications; subscriptions are still accepted. */
  setCovNotifications(enabled: boolean): void;
  /** Forgets every COV subscription, as a device does when it restarts. */
  clearCovSubscriptions(): void;
  covSubscriptions(): CovSubscriptionInfo[];
  /** Confirmed requests received so far, with or without a reply, oldest first (the last 10,000). */
  requests(): readonly RequestRecord[];
  /** Checks every COV subscription now instead of at the next interval. */
  publishCov(): void;
  /** Stops the timers and closes the socket. Safe to call twice. */
  stop(): Promise<void>;
}

const MAX_REQUEST_RECORDS = 10_000;
const MAX_APDU_BY_CODE: Record<number, number> = {
  [MaxApduLengthAccepted.OCTETS_50]: 50,
  [MaxApduLengthAccepted.OCTETS_128]: 128,
  [MaxApduLengthAccepted.OCTETS_206]: 206,
  [MaxApduLengthAccepted.OCTETS_480]: 480,
  [MaxApduLengthAccepted.OCTETS_1024]: 1024,
  [MaxApduLengthAccepted.OCTETS_1476]: 1476,
};

interface RequestContent {
  header?: { sender: BACNetAddress };
  invokeId?: number;
  service?: number;
  maxApdu?: number;
}

/**
 * Starts a BACnet/IP device on a UDP port, built on @bacnet-js/client 3.3 acting as a server. It
 * answers Who-Is in its instance range, ReadProperty, ReadPropertyMultiple (properties or `all`),
 * WriteProperty with priorities and SubscribeCOV with notifications. It cannot segment: a reply
 * larger than its max APDU or the client's is answered with Abort segmentation-not-supported.
 */
export async function startBacnetDevice(options: BacnetDeviceOptions): Promise<RunningBacnetDevice> {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    // @bacnet-js/client binds 47808 when given port 0, so a free port cannot be picked this way.
    throw new RangeError(`the BACnet device needs a UDP port from 1 to 65535, got ${options.port}`);
  }
  const host = options.host ?? '127.0.0.1';
  const maxApduLength = options.maxApduLength ?? 1476;
  const readPropertyMultiple = options.readPropertyMultiple ?? true;
  const vendorId = options.vendorId ?? 0;
  const logger = options.logger;
  const objects = new Map(options.objects.map((object) => [objectKey(object.id), object]));
  const device = new DeviceObject(
    {
      instance: options.deviceInstance,
      name: options.deviceName,
      vendorId,
      modelName: options.modelName ?? 'SimTestLab BACnet device simulator',
      maxApduLength,
      readPropertyMultiple,
    },
    options.objects,
  );
  const broadcastAddress = options.broadcastAddress ?? '127.255.255.255';
  // The driver's transport names every sender `ip:port`, so requests from 127.0.0.1:47808 are served
  // too, and it requests a receive buffer large enough for a burst of requests.
  const transport = new UdpTransport({ port: options.port, localAddress: host, broadcastAddress, logger });
  const client: BacnetClientInstance = new BacnetClient({ transport, port: options.port, interface: host, broadcastAddress });
  await new Promise<void>((resolve, reject) => {
    client.once('error', reject);
    client.once('listening', () => {
      client.off('error', reject);
      resolve();
    });
  });
  client.on('error', (error: Error) => logger.warn({ err: error }, 'BACnet simulator socket error'));

  let silent = false;
  const records: RequestRecord[] = [];
  const record = (service: RequestRecord['service'], ids: readonly ObjectId[], sender: BACNetAddress) => {
    records.push({ service, objects: ids.map(objectKey), from: sender.address ?? '' });
    if (records.length > MAX_REQUEST_RECORDS) records.splice(0, records.length - MAX_REQUEST_RECORDS);
  };
  const cov = new CovPublisher({ client, deviceInstance: options.deviceInstance, intervalMs: options.covIntervalMs ?? 1000, logger });

  const lookup = (id: ObjectId): SimulatedObject | DeviceObject | undefined =>
    id.type === device.id.type && id.instance === device.id.instance ? device : objects.get(objectKey(id));
  const replyLimit = (content: RequestContent) => Math.min(maxApduLength, MAX_APDU_BY_CODE[content.maxApdu ?? MaxApduLengthAccepted.OCTETS_1476] ?? 1476);
  const reply = (content: RequestContent, send: (sender: BACNetAddress, invokeId: number) => void) => {
    const sender = content.header?.sender;
    if (sender === undefined || content.invokeId === undefined) return;
    send(sender, content.invokeId);
  };
  const answerError = (content: RequestContent, error: unknown) => {
    const { errorClass, errorCode } = error instanceof PropertyAccessError ? error : { errorClass: ErrorClass.DEVICE, errorCode: ErrorCode.OPERATIONAL_PROBLEM };
    if (!(error instanceof PropertyAccessError)) logger.warn({ err: error }, 'BACnet simulator failed to serve a request');
    reply(content, (sender, invokeId) => client.errorResponse(sender, content.service ?? 0, invokeId, errorClass, errorCode));
  };

  client.on('whoIs', (content) => {
    if (silent) return;
    const { lowLimit, highLimit } = content.payload;
    const instance = options.deviceInstance;
    if (lowLimit !== undefined && highLimit !== undefined && (instance < lowLimit || instance > highLimit)) return;
    const sender = content.header?.sender;
    if (sender) sendIAm(client, sender, { instance, maxApduLength, segmentation: Segmentation.NO_SEGMENTATION, vendorId });
  });

  client.on('readProperty', (content) => {
    const { objectId, property } = content.payload;
    if (content.header) record('ReadProperty', [objectId], content.header.sender);
    if (silent) return;
    const object = lookup(objectId);
    try {
      if (!object) throw new PropertyAccessError(ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT, 'unknown object');
      const values = object.readProperty(property.id, property.index);
      if (readPropertyAckLength(property.id, property.index, values) > replyLimit(content)) {
        reply(content, (sender, invokeId) => sendAbort(client, sender, invokeId, AbortReason.SEGMENTATION_NOT_SUPPORTED));
        return;
      }
      reply(content, (sender, invokeId) => client.readPropertyResponse(sender, invokeId, objectId, property, values));
    } catch (error) {
      answerError(content, error);
    }
  });

  client.on('readPropertyMultiple', (content) => {
    const specifications = content.payload.properties;
    if (content.header) record('ReadPropertyMultiple', specifications.map((specification) => specification.objectId), content.header.sender);
    if (silent) return;
    if (!readPropertyMultiple) {
      reply(content, (sender, invokeId) => sendReject(client, sender, invokeId, RejectReason.UNRECOGNIZED_SERVICE));
      return;
    }
    const sizes: PropertyResultSize[][] = [];
    const results = specifications.map((specification) => {
      const object = lookup(specification.objectId);
      const wanted = specification.properties.flatMap((property) =>
        property.id === PropertyIdentifier.ALL && object ? object.propertyIds().map((id) => ({ id, index: ARRAY_ALL })) : [property],
      );
      const objectSizes: PropertyResultSize[] = [];
      const values = wanted.map((property) => {
        try {
          if (!object) throw new PropertyAccessError(ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT, 'unknown object');
          const value = object.readProperty(property.id, property.index);
          objectSizes.push({ propertyId: property.id, index: property.index, values: value });
          return { property, value };
        } catch (error) {
          if (!(error instanceof PropertyAccessError)) throw error;
          const failure = { errorClass: error.errorClass, errorCode: error.errorCode };
          objectSizes.push({ propertyId: property.id, index: property.index, error: failure });
          return { property, value: [{ value: { type: 'BacnetError', ...failure } } as unknown as BACNetAppData] };
        }
      });
      sizes.push(objectSizes);
      return { objectId: specification.objectId, values };
    });
    if (readPropertyMultipleAckLength(sizes) > replyLimit(content)) {
      reply(content, (sender, invokeId) => sendAbort(client, sender, invokeId, AbortReason.SEGMENTATION_NOT_SUPPORTED));
      return;
    }
    reply(content, (sender, invokeId) => client.readPropertyMultipleResponse(sender, invokeId, results));
  });

  client.on('writeProperty', (content) => {
    const { objectId, value } = content.payload;
    if (content.header) record('WriteProperty', [objectId], content.header.sender);
    if (silent) return;
    const object = objects.get(objectKey(objectId));
    try {
      if (!object) {
        const code = lookup(objectId) ? ErrorCode.WRITE_ACCESS_DENIED : ErrorCode.UNKNOWN_OBJECT;
        throw new PropertyAccessError(code === ErrorCode.UNKNOWN_OBJECT ? ErrorClass.OBJECT : ErrorClass.PROPERTY, code, 'not writable');
      }
      object.writeProperty(value.property.id, value.value, value.priority);
      reply(content, (sender, invokeId) => client.simpleAckResponse(sender, content.service ?? 0, invokeId));
      cov.publish();
    } catch (error) {
      answerError(content, error);
    }
  });

  client.on('subscribeCov', (content) => {
    const payload = content.payload as typeof content.payload & { cancellationRequest?: boolean };
    const sender = content.header?.sender;
    if (sender) record('SubscribeCOV', [payload.monitoredObjectId], sender);
    if (silent) return;
    const object = objects.get(objectKey(payload.monitoredObjectId));
    if (!object || !sender) {
      answerError(content, new PropertyAccessError(ErrorClass.OBJECT, ErrorCode.UNKNOWN_OBJECT, 'unknown object'));
      return;
    }
    if (payload.cancellationRequest) cov.cancel(sender, payload.subscriberProcessId, object);
    reply(content, (replyTo, invokeId) => client.simpleAckResponse(replyTo, content.service ?? 0, invokeId));
    if (!payload.cancellationRequest) {
      cov.subscribe(sender, payload.subscriberProcessId, object, payload.issueConfirmedNotifications, payload.lifetime);
    }
  });

  cov.start();
  logger.info({ host, port: options.port, deviceInstance: options.deviceInstance, objects: options.objects.length }, 'BACnet device simulator listening');

  let stopped = false;
  return {
    host,
    port: options.port,
    deviceInstance: options.deviceInstance,
    endpoint: `${host}:${options.port}`,
    object: (objectType, instance) => objects.get(objectKey({ type: objectTypeCode(objectType), instance })),
    setSilent: (value) => {
      silent = value;
      cov.setPaused(value);
    },
    setCovNotifications: (enabled) => cov.setMuted(!enabled),
    clearCovSubscriptions: () => cov.clear(),
    covSubscriptions: () => cov.list(),
    requests: () => records,
    publishCov: () => cov.publish(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      cov.stop();
      client.close();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
