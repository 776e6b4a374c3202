import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { BACNetAddress } from '@bacnet-js/client';
import type { BacnetConnection } from '@simtestlab/sync';
import { splitHostPort } from './udp-transport';

/** Address of a device: the receiver of its requests and the `ip:port` its replies come from. */
export interface DeviceAddress {
  receiver: BACNetAddress;
  /** `ip:port` of the device or its router. */
  replyFrom: string;
}

/** Parses a MAC written as hex bytes separated by colons ("0a", "c0:a8:01:0a:ba:c0"). */
export function parseMac(mac: string): number[] {
  return mac.split(':').map((byte) => Number.parseInt(byte, 16));
}

/**
 * Resolves `host[:port]` to an IPv4 address and builds the library's receiver, with the network
 * and MAC of a routed device. Replies are matched on the IPv4 address, so a host name is looked up
 * once here.
 */
export async function resolveDeviceAddress(address: string, connection: Pick<BacnetConnection, 'network' | 'mac'>): Promise<DeviceAddress> {
  const { host, port } = splitHostPort(address);
  const ip = isIPv4(host) ? host : (await lookup(host, { family: 4 })).address;
  const replyFrom = `${ip}:${port}`;
  const receiver: BACNetAddress = { address: replyFrom };
  if (connection.network !== undefined && connection.mac !== undefined) {
    receiver.net = connection.network;
    receiver.adr = parseMac(connection.mac);
  }
  return { receiver, replyFrom };
}
