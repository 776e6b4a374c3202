import { Segmentation } from '@bacnet-js/client';
import { bacnetDeviceSchema } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { BacnetDriver } from './bacnet-driver';
import { acquireClient, releaseClient } from './client-pool';
import type { DeviceObjectSummary } from './object-summaries';
import type { DiscoveredDevice } from './shared-client';

/** A Who-Is search: which instances, on which segments, from which local port. */
export interface DiscoveryOptions {
  /** UDP port the client binds; it must differ from the devices' port on the same host. */
  localPort: number;
  /** Address the client binds; 0.0.0.0 (the default) receives broadcast I-Am replies. */
  localAddress?: string;
  /**
   * Broadcast addresses (`10.0.0.255` or `10.0.0.255:47808`) of the segments to search, each sent
   * one Who-Is. Default: `255.255.255.255:47808`.
   */
  targets?: string[];
  /** Device instance range; both ends included. Default: every instance. */
  lowLimit?: number;
  highLimit?: number;
  /** Remote BACnet network to search through a router; 65535 searches every network. */
  network?: number;
  /** How long to collect I-Am replies, in ms. Default 3000. */
  waitMs?: number;
  logger: Logger;
}

/** Discoveries so far; each takes its own share of the client, so one ending does not close another's. */
let discoveries = 0;

/**
 * Sends Who-Is to each target and returns the devices that replied with I-Am, by instance. The
 * client is shared with devices polled through the same local port.
 */
export async function discoverDevices(options: DiscoveryOptions): Promise<DiscoveredDevice[]> {
  const localAddress = options.localAddress ?? '0.0.0.0';
  const targets = options.targets ?? ['255.255.255.255:47808'];
  const waitMs = options.waitMs ?? 3000;
  const user = `bacnet-discovery-${++discoveries}`;
  const client = acquireClient(user, {
    localAddress,
    localPort: options.localPort,
    broadcastAddress: targets[0]!,
    apduTimeoutMs: 3000,
    logger: options.logger,
  });
  try {
    await client.open(user);
    const results = await Promise.all(
      targets.map((target) =>
        client.whoIs({
          target,
          waitMs,
          ...(options.lowLimit === undefined ? {} : { lowLimit: options.lowLimit }),
          ...(options.highLimit === undefined ? {} : { highLimit: options.highLimit }),
          ...(options.network === undefined ? {} : { network: options.network }),
        }),
      ),
    );
    const unique = new Map(results.flat().map((device) => [`${device.deviceInstance}@${device.address}`, device]));
    const devices = [...unique.values()].sort((a, b) => a.deviceInstance - b.deviceInstance);
    options.logger.info({ targets, found: devices.length }, `BACnet discovery found ${devices.length} devices`);
    return devices;
  } finally {
    releaseClient(user, client);
  }
}

/** How to reach a discovered device to list its objects. */
export interface ListObjectsOptions {
  device: DiscoveredDevice;
  localPort: number;
  localAddress?: string;
  apduTimeoutMs?: number;
  retries?: number;
  logger: Logger;
}

/**
 * Lists a discovered device's objects with names and units. The object-list is read whole when it
 * fits one reply or the device segments, and entry by entry otherwise.
 */
export async function listDeviceObjects(options: ListObjectsOptions): Promise<DeviceObjectSummary[]> {
  const { device } = options;
  const segmentation = device.segmentation === Segmentation.SEGMENTED_BOTH || device.segmentation === Segmentation.SEGMENTED_TRANSMIT;
  const config = bacnetDeviceSchema.parse({
    key: `discovered-${device.deviceInstance}`,
    driver: 'bacnet',
    connection: {
      deviceInstance: device.deviceInstance,
      address: device.address,
      localPort: options.localPort,
      localAddress: options.localAddress ?? '0.0.0.0',
      segmentation,
      ...(options.apduTimeoutMs === undefined ? {} : { apduTimeoutMs: options.apduTimeoutMs }),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(device.network === undefined || device.mac === undefined
        ? {}
        : { network: device.network, mac: device.mac.map((byte) => byte.toString(16).padStart(2, '0')).join(':') }),
    },
  });
  const driver = new BacnetDriver(config, { logger: options.logger, onReadings: () => undefined });
  try {
    await driver.start();
    return await driver.listObjects();
  } finally {
    await driver.stop();
  }
}
