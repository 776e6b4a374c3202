import { DeviceRequestError } from '../errors';
import { ModbusConnection, type ConnectionOptions } from './connection';
import type { ModbusEndpoint, RtuEndpoint } from './transport';

interface SharedBus {
  connection: ModbusConnection;
  settings: string;
  users: Set<string>;
}

/** RTU buses by serial path: devices with different unit ids on one path share one client. */
const buses = new Map<string, SharedBus>();

function serialSettings(endpoint: RtuEndpoint): string {
  return `${endpoint.baudRate} baud, ${endpoint.dataBits}${endpoint.parity[0]!.toUpperCase()}${endpoint.stopBits}`;
}

/**
 * Returns the connection for a device. A TCP device gets a connection of its own. An RTU device
 * shares the client of its serial path with the other devices on that bus, so one request at a time
 * goes out on the wire. Throws DeviceRequestError when a device names different serial settings
 * than the devices already on its path.
 */
export function acquireConnection(device: string, endpoint: ModbusEndpoint, options: ConnectionOptions): ModbusConnection {
  if (endpoint.transport === 'tcp') return new ModbusConnection(endpoint, options);

  const settings = serialSettings(endpoint);
  const existing = buses.get(endpoint.path);
  if (existing) {
    if (existing.settings !== settings) {
      const message =
        `serial port ${endpoint.path} is already open at ${existing.settings} for ` +
        `${[...existing.users].join(', ')}; device ${device} asks for ${settings}`;
      throw new DeviceRequestError(message, { device });
    }
    existing.users.add(device);
    return existing.connection;
  }
  const connection = new ModbusConnection(endpoint, options);
  buses.set(endpoint.path, { connection, settings, users: new Set([device]) });
  return connection;
}

/** Gives a connection back; it closes when its last device releases it. Safe to call twice. */
export async function releaseConnection(device: string, connection: ModbusConnection): Promise<void> {
  const endpoint = connection.endpoint;
  if (endpoint.transport === 'tcp') {
    await connection.close();
    return;
  }
  const bus = buses.get(endpoint.path);
  if (!bus || bus.connection !== connection) return;
  bus.users.delete(device);
  if (bus.users.size > 0) return;
  buses.delete(endpoint.path);
  await connection.close();
}
