import type { DeviceRow } from './device-rows';
import type { Parsed } from './scan-input';
import type { DeviceProtocol } from './setup-types';

/** The fields of the form that adds a device by hand, as typed. */
export interface ManualDeviceInput {
  protocol: DeviceProtocol;
  name: string;
  host: string;
  port: string;
  /** Modbus unit id; ignored for BACnet. */
  unitId: string;
  /** BACnet device instance; ignored for Modbus. */
  deviceInstance: string;
  template: string;
}

/** Default ports: Modbus TCP 502, BACnet/IP 47808 (0xBAC0). */
export const DEFAULT_PORTS: Record<DeviceProtocol, number> = { 'modbus-tcp': 502, bacnet: 47808 };

/** The highest Modbus unit id; 248 to 255 are reserved. */
const MAX_UNIT_ID = 247;

/** The highest BACnet device instance: 2^22 - 2, because 4194303 means "any device". */
const MAX_DEVICE_INSTANCE = 4_194_302;

const HOST = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/i;

function parseWhole(text: string, min: number, max: number, field: string): Parsed<number> {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: `The ${field} "${trimmed}" is not a whole number. Enter ${min} to ${max}.` };
  const value = Number(trimmed);
  if (value < min || value > max) return { ok: false, message: `The ${field} ${value} is outside ${min} to ${max}.` };
  return { ok: true, value };
}

/** Checks the form and returns a selected table row with the key `manual-<index>`, or the first problem. */
export function parseManualDevice(input: ManualDeviceInput, index: number): Parsed<DeviceRow> {
  const name = input.name.trim();
  if (name === '') return { ok: false, message: 'Enter a name for the device, such as "Grid meter".' };
  const host = input.host.trim();
  if (!HOST.test(host) || (/^[\d.]+$/.test(host) && host.split('.').some((octet) => Number(octet) > 255))) {
    return { ok: false, message: `"${host}" is not an IPv4 address or host name. Enter the device's address, such as 192.168.1.20.` };
  }
  const port = input.port.trim() === '' ? { ok: true as const, value: DEFAULT_PORTS[input.protocol] } : parseWhole(input.port, 1, 65535, 'port');
  if (!port.ok) return port;
  if (input.template === '') return { ok: false, message: 'Choose the template that matches the device model.' };
  const base = { key: `manual-${index}`, selected: true, name, template: input.template, host, port: port.value, details: 'Added by hand', suggestedTemplates: [] };
  if (input.protocol === 'bacnet') {
    const instance = parseWhole(input.deviceInstance, 0, MAX_DEVICE_INSTANCE, 'device instance');
    if (!instance.ok) return instance;
    return { ok: true, value: { ...base, protocol: 'bacnet', deviceInstance: instance.value } };
  }
  const unitId = input.unitId.trim() === '' ? { ok: true as const, value: 1 } : parseWhole(input.unitId, 0, MAX_UNIT_ID, 'unit id');
  if (!unitId.ok) return unitId;
  return { ok: true, value: { ...base, protocol: 'modbus-tcp', unitId: unitId.value } };
}
