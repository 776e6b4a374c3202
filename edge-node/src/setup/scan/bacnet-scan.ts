import { ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import { acquireClient, releaseClient } from '../../drivers/bacnet/client-pool';
import { standardMaxApdu } from '../../drivers/bacnet/device-profile';
import { discoverDevices } from '../../drivers/bacnet/discovery';
import { PropertyReader, propertyKey, type ReadOutcomes } from '../../drivers/bacnet/property-reader';
import type { DiscoveredDevice, RequestTarget, SharedBacnetClient } from '../../drivers/bacnet/shared-client';
import { splitHostPort } from '../../drivers/bacnet/udp-transport';
import { DeviceError } from '../../drivers/errors';
import type { Logger } from '../../logger';
import { broadcastAddress, parseIpv4, type Ipv4Cidr } from './cidr';
import type { FoundBacnetDevice } from './schemas';
import { suggestBacnetTemplates } from './template-suggestions';

/** Settings of the BACnet/IP part of a scan. */
export interface BacnetScanSettings {
  /** UDP port the client binds. 0 (the default) takes an ephemeral port, so it never clashes with the edge's own BACnet client. */
  localPort: number;
  /** Address the client binds. With 0.0.0.0 it also receives I-Am replies sent to the broadcast address. */
  localAddress: string;
  /** How long to collect I-Am replies, in ms. */
  whoIsWaitMs: number;
  /** Timeout of each ReadProperty of a device's names, in ms. */
  apduTimeoutMs: number;
}

export interface BacnetScanOptions {
  cidr: Ipv4Cidr;
  /** UDP port the devices listen on, and so the port the Who-Is is broadcast to. */
  port: number;
  settings: BacnetScanSettings;
  signal?: AbortSignal;
  logger: Logger;
}

/** Devices whose names are read at once. Each device takes one to three requests. */
const NAME_READ_CONCURRENCY = 8;

/** Counts scans, to give each one its own user name on the shared client. */
let scans = 0;

const nameProperties = [PropertyIdentifier.OBJECT_NAME, PropertyIdentifier.VENDOR_NAME, PropertyIdentifier.MODEL_NAME];

/** Returns the scan key of a BACnet find. */
export function bacnetDeviceKey(address: string, port: number, deviceInstance: number): string {
  return `bacnet:${address}:${port}:${deviceInstance}`;
}

function inNetwork(cidr: Ipv4Cidr, address: string): boolean {
  const value = parseIpv4(address);
  return value !== undefined && value >= cidr.network && value < cidr.network + cidr.size;
}

function textOf(outcomes: ReadOutcomes, deviceInstance: number, propertyId: number): string {
  const outcome = outcomes.get(propertyKey({ type: ObjectType.DEVICE, instance: deviceInstance }, propertyId));
  const value = outcome && 'values' in outcome ? outcome.values[0]?.value : undefined;
  return typeof value === 'string' ? value : '';
}

async function readNames(client: SharedBacnetClient, device: DiscoveredDevice, options: BacnetScanOptions): Promise<FoundBacnetDevice> {
  const { host, port } = splitHostPort(device.address);
  const logger = options.logger.child({ address: device.address, deviceInstance: device.deviceInstance });
  const target: RequestTarget = {
    device: `bacnet-${device.deviceInstance}`,
    receiver: { address: device.address },
    replyFrom: device.address,
    label: `device ${device.deviceInstance} at ${device.address}`,
    apduTimeoutMs: options.settings.apduTimeoutMs,
    retries: 1,
    logger,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const reader = new PropertyReader({ client, target: () => target, maxApduLength: standardMaxApdu(device.maxApduLength), logger });
  let outcomes: ReadOutcomes = new Map();
  try {
    outcomes = await reader.read([{ objectId: { type: ObjectType.DEVICE, instance: device.deviceInstance }, propertyIds: nameProperties }]);
  } catch (error) {
    if (!(error instanceof DeviceError)) throw error;
    logger.warn({ err: error }, `reading the names of BACnet device ${device.deviceInstance} failed; reporting it without names`);
  }
  const names = {
    objectName: textOf(outcomes, device.deviceInstance, PropertyIdentifier.OBJECT_NAME),
    vendorName: textOf(outcomes, device.deviceInstance, PropertyIdentifier.VENDOR_NAME),
    modelName: textOf(outcomes, device.deviceInstance, PropertyIdentifier.MODEL_NAME),
  };
  logger.info({ vendorId: device.vendorId, ...names }, `found BACnet device ${device.deviceInstance}`);
  return {
    key: bacnetDeviceKey(host, port, device.deviceInstance),
    protocol: 'bacnet',
    address: host,
    port,
    deviceInstance: device.deviceInstance,
    vendorId: device.vendorId,
    ...names,
    suggestedTemplates: suggestBacnetTemplates(names),
  };
}

/**
 * Sends one Who-Is to the directed broadcast address of the network on `port`, collects I-Am replies
 * for `whoIsWaitMs`, and reads object-name, vendor-name and model-name of each device that replied
 * from inside the network. Devices behind a BACnet router are left out, because a find has no field
 * for their network number and MAC address.
 */
export async function scanBacnet(options: BacnetScanOptions): Promise<FoundBacnetDevice[]> {
  const { settings, logger } = options;
  const target = `${broadcastAddress(options.cidr)}:${options.port}`;
  // NOTE: discoverDevices takes no abort signal, so a cancelled scan still waits out the Who-Is.
  const replies = await discoverDevices({
    localPort: settings.localPort,
    localAddress: settings.localAddress,
    targets: [target],
    waitMs: settings.whoIsWaitMs,
    logger,
  });
  const devices = replies.filter((device) => {
    const direct = device.network === undefined && inNetwork(options.cidr, splitHostPort(device.address).host);
    if (!direct) logger.info({ address: device.address, deviceInstance: device.deviceInstance, network: device.network }, 'ignored an I-Am from outside the scanned network or behind a router');
    return direct;
  });
  if (devices.length === 0 || options.signal?.aborted) return [];

  const user = `lan-scan-${++scans}`;
  const client = acquireClient(user, {
    localAddress: settings.localAddress,
    localPort: settings.localPort,
    broadcastAddress: target,
    apduTimeoutMs: settings.apduTimeoutMs,
    logger,
  });
  try {
    await client.open(user);
    const found: FoundBacnetDevice[] = [];
    for (let start = 0; start < devices.length && !options.signal?.aborted; start += NAME_READ_CONCURRENCY) {
      const batch = devices.slice(start, start + NAME_READ_CONCURRENCY);
      found.push(...(await Promise.all(batch.map((device) => readNames(client, device, options)))));
    }
    return found;
  } finally {
    releaseClient(user, client);
  }
}
