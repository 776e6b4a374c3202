import { isIP } from 'node:net';
import { deviceKeySchema } from '@simtestlab/sync';
import type { z } from 'zod';
import type { fileDeviceSchema } from '../config/schema';
import { invalidField } from './setup-errors';
import { identifierFromName, nameProblem } from './setup-names';
import type { SetupProtocol, SetupTemplate } from './setup-templates';

/** A device the installer picked on the setup page, from a scan find or typed in. */
export interface DevicePick {
  key?: string;
  name: string;
  template: string;
  protocol: SetupProtocol;
  host?: string;
  address?: string;
  port: number;
  unitId?: number;
  deviceInstance?: number;
}

/** A device entry as written to the site file, before the schema fills in defaults. */
export type SiteFileDevice = z.input<typeof fileDeviceSchema>;

/** Upper bound of devices in one request; a site file may list more when written by hand. */
export const MAX_SETUP_DEVICES = 500;

/** Largest BACnet object instance, 2^22 - 1 (ASHRAE 135, clause 12.11.1); 4194303 means "unknown". */
const BACNET_MAX_INSTANCE = 4_194_302;

/** The standard BACnet/IP UDP port 0xBAC0, which the edge's client binds unless that clashes. */
const BACNET_PORT = 47_808;

const HOST_PATTERN = /^[A-Za-z0-9.-]{1,253}$/;

function uniqueKey(base: string, used: Set<string>): string {
  let key = base;
  for (let suffix = 2; used.has(key); suffix++) key = `${base.slice(0, 60)}-${suffix}`;
  used.add(key);
  return key;
}

function checkInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalidField(field, `${value} is invalid; use a whole number from ${min} to ${max}`);
  return value;
}

function checkHost(field: string, value: string | undefined, protocol: SetupProtocol): string {
  if (value === undefined || value.trim() === '') throw invalidField(field, `missing: give the IPv4 address or host name of the ${protocol} device`);
  const host = value.trim();
  if (isIP(host) === 0 && !HOST_PATTERN.test(host)) throw invalidField(field, `"${host}" is not an IP address or host name`);
  return host;
}

/**
 * Chooses the UDP port of the edge's BACnet client. A device on this host's loopback address already
 * uses its port, so the client takes the next one there. Towards other hosts it uses the standard port.
 */
function bacnetLocalPort(host: string, devicePort: number): number {
  const loopback = host === 'localhost' || host.startsWith('127.');
  if (!loopback) return BACNET_PORT;
  return devicePort === 65_535 ? devicePort - 1 : devicePort + 1;
}

/**
 * Turns the picks into site-file devices that name a template, as a hand-written site file does:
 * Modbus TCP devices get host, port and unit id, BACnet devices the instance and `host:port`. Keys
 * missing from a pick are derived from the name and made unique. Throws a SetupError (400) naming
 * `devices[i].<field>` for the first bad pick.
 */
export function devicePicksToFileDevices(picks: readonly DevicePick[], templates: readonly SetupTemplate[]): SiteFileDevice[] {
  if (picks.length > MAX_SETUP_DEVICES) throw invalidField('devices', `${picks.length} devices; choose at most ${MAX_SETUP_DEVICES}`);
  const used = new Set<string>();
  picks.forEach((pick, index) => {
    if (pick.key === undefined) return;
    const field = `devices[${index}].key`;
    if (!deviceKeySchema.safeParse(pick.key).success) throw invalidField(field, `"${pick.key}" is invalid; use lowercase letters, digits, "_" or "-" (at most 64)`);
    if (used.has(pick.key)) throw invalidField(field, `duplicate device key "${pick.key}"`);
    used.add(pick.key);
  });

  const devices = picks.map((pick, index): SiteFileDevice => {
    const at = (field: string) => `devices[${index}].${field}`;
    const problem = nameProblem(pick.name);
    if (problem !== null) throw invalidField(at('name'), problem);
    const name = pick.name.trim();
    const template = templates.find((candidate) => candidate.id === pick.template && candidate.protocol === pick.protocol);
    if (template === undefined) {
      const known = templates.filter((candidate) => candidate.protocol === pick.protocol).map((candidate) => candidate.id);
      throw invalidField(at('template'), `unknown ${pick.protocol} template "${pick.template}"; known templates: ${known.join(', ') || 'none'}`);
    }
    const key = pick.key ?? uniqueKey(identifierFromName(name, 'device'), used);
    const port = checkInteger(at('port'), pick.port, 1, 65_535);

    if (pick.protocol === 'modbus-tcp') {
      const host = checkHost(at('host'), pick.host ?? pick.address, pick.protocol);
      const unitId = checkInteger(at('unitId'), pick.unitId ?? 1, 0, 255);
      return { key, name, driver: 'modbus-tcp', template: template.id, connection: { host, port, unitId } };
    }
    const host = checkHost(at('address'), pick.address ?? pick.host, pick.protocol);
    if (pick.deviceInstance === undefined) throw invalidField(at('deviceInstance'), 'missing: a BACnet device needs its device instance');
    const deviceInstance = checkInteger(at('deviceInstance'), pick.deviceInstance, 0, BACNET_MAX_INSTANCE);
    return {
      key,
      name,
      driver: 'bacnet',
      template: template.id,
      connection: { deviceInstance, address: `${host}:${port}`, localPort: bacnetLocalPort(host, port) },
    };
  });
  rejectDuplicateEndpoints(devices);
  return devices;
}

/** Returns what identifies the physical device behind an entry: host, port and unit id or device instance. */
function endpointOf(device: SiteFileDevice): string {
  const connection = device.connection as { host?: string; port?: number; unitId?: number; address?: string; deviceInstance?: number };
  if (device.driver === 'modbus-tcp') return `Modbus TCP ${connection.host?.toLowerCase()}:${connection.port} unit ${connection.unitId}`;
  return `BACnet ${connection.address?.toLowerCase()} instance ${connection.deviceInstance}`;
}

/** Throws a 400 naming both entries when two entries poll the same device, which would count its energy twice. */
function rejectDuplicateEndpoints(devices: readonly SiteFileDevice[]): void {
  const seen = new Map<string, number>();
  devices.forEach((device, index) => {
    const endpoint = endpointOf(device);
    const first = seen.get(endpoint);
    if (first !== undefined) {
      throw invalidField(`devices[${index}]`, `${endpoint} is already devices[${first}] ("${devices[first]!.name}"); pick each device once`);
    }
    seen.set(endpoint, index);
  });
}
