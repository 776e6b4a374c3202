import { SharedBacnetClient, type SharedClientOptions } from './shared-client';

/**
 * One BACnet client per local address and port, shared by the devices that use it: a UDP port can be
 * bound once, and every device polled through it counts against the same 255 invoke ids.
 */

interface Entry {
  client: SharedBacnetClient;
  users: Set<string>;
}

const clients = new Map<string, Entry>();

function keyOf(options: Pick<SharedClientOptions, 'localAddress' | 'localPort'>): string {
  return `${options.localAddress}:${options.localPort}`;
}

/**
 * Returns the client bound to `localAddress:localPort`, creating it for the first device. The first
 * device also sets the client's broadcast address and library APDU timeout. A later device with a
 * longer timeout gets a warning, because one socket cannot have two.
 */
export function acquireClient(device: string, options: SharedClientOptions): SharedBacnetClient {
  const key = keyOf(options);
  const entry = clients.get(key);
  if (entry) {
    entry.users.add(device);
    if (entry.client.apduTimeoutMs < options.apduTimeoutMs) {
      options.logger.warn(
        { client: entry.client.label, apduTimeoutMs: options.apduTimeoutMs, clientApduTimeoutMs: entry.client.apduTimeoutMs },
        'this device shares a BACnet client port whose APDU timeout is shorter, so its requests time out after that shorter timeout',
      );
    }
    return entry.client;
  }
  const client = new SharedBacnetClient(options);
  clients.set(key, { client, users: new Set([device]) });
  return client;
}

/** Drops the device's use of its client and closes the client when no device uses it any more. */
export function releaseClient(device: string, client: SharedBacnetClient): void {
  for (const [key, entry] of clients) {
    if (entry.client !== client) continue;
    entry.users.delete(device);
    if (entry.users.size === 0) {
      clients.delete(key);
      client.close();
    }
    return;
  }
  client.close();
}
