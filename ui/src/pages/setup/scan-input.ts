/*
 * Checks of the scan form before it is sent. The edge node checks the same rules again; these give
 * the installer the message next to the field without a round trip.
 */

/** The shortest prefix the edge node scans: /22 is 1024 addresses. */
export const MIN_SCAN_PREFIX = 22;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Checks an IPv4 network such as `192.168.1.0/24` with a prefix of /22 to /32, and returns it trimmed. */
export function parseCidr(text: string): Parsed<string> {
  const cidr = text.trim();
  if (cidr === '') return { ok: false, message: 'Enter the network to scan, such as 192.168.1.0/24.' };
  const match = IPV4_CIDR.exec(cidr);
  if (match === null) return { ok: false, message: `"${cidr}" is not an IPv4 network in CIDR notation. Write the address, a slash and the prefix length, such as 192.168.1.0/24.` };
  const octets = match.slice(1, 5).map(Number);
  const badOctet = octets.find((octet) => octet > 255);
  if (badOctet !== undefined) return { ok: false, message: `"${cidr}" has the part ${badOctet}; each of the four parts of an IPv4 address is 0 to 255.` };
  const prefix = Number(match[5]);
  if (prefix > 32) return { ok: false, message: `"${cidr}" has the prefix /${prefix}; an IPv4 prefix is at most /32.` };
  if (prefix < MIN_SCAN_PREFIX) {
    return { ok: false, message: `"${cidr}" has ${2 ** (32 - prefix)} addresses; scan at most 1024 at once (/${MIN_SCAN_PREFIX} or a longer prefix such as /24).` };
  }
  return { ok: true, value: cidr };
}

/**
 * Parses a list of whole numbers such as `502, 1502` or `1-4 10`, separated by commas or spaces, with
 * ranges written `from-to`. Returns the distinct numbers in ascending order, or `fallback` for an
 * empty field. `what` names the field in messages.
 */
export function parseNumberList(text: string, limits: { min: number; max: number; maxCount: number; what: string }, fallback: number[]): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0) return { ok: true, value: fallback };
  const values = new Set<number>();
  for (const part of parts) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (range === null) return { ok: false, message: `"${part}" is not a number or a range such as 1-4 in the ${limits.what}.` };
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) return { ok: false, message: `The range "${part}" in the ${limits.what} ends before it starts; write the smaller number first.` };
    if (from < limits.min || to > limits.max) return { ok: false, message: `"${part}" is outside ${limits.min} to ${limits.max}, the valid ${limits.what}.` };
    for (let value = from; value <= to; value++) {
      values.add(value);
      if (values.size > limits.maxCount) return { ok: false, message: `The ${limits.what} list more than ${limits.maxCount} values; scan fewer at once.` };
    }
  }
  return { ok: true, value: [...values].sort((a, b) => a - b) };
}

/*
 * The edge node's limits: every port is probed at every address and every unit id at every open
 * port, so the lists stay short. Unit ids above 247 are reserved by Modbus.
 */
const MAX_SCAN_PORTS = 8;
const MAX_SCAN_UNIT_IDS = 32;
const MAX_UNIT_ID = 247;

/** Parses the Modbus TCP ports of the scan; an empty field means port 502. */
export function parseModbusPorts(text: string): Parsed<number[]> {
  return parseNumberList(text, { min: 1, max: 65535, maxCount: MAX_SCAN_PORTS, what: 'Modbus ports' }, [502]);
}

/** Parses the Modbus unit ids of the scan; an empty field means unit id 1. */
export function parseUnitIds(text: string): Parsed<number[]> {
  return parseNumberList(text, { min: 0, max: MAX_UNIT_ID, maxCount: MAX_SCAN_UNIT_IDS, what: 'unit ids' }, [1]);
}

/** The BACnet/IP port, 47808 (0xBAC0), where the scan sends its Who-Is unless the installer names another. */
export const DEFAULT_BACNET_PORT = 47808;

/** Parses the BACnet UDP port of the scan; an empty field means 47808. */
export function parseBacnetPort(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: DEFAULT_BACNET_PORT };
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: `The BACnet port "${trimmed}" is not a whole number. Enter a UDP port from 1 to 65535, such as ${DEFAULT_BACNET_PORT}.` };
  const port = Number(trimmed);
  if (port < 1 || port > 65535) return { ok: false, message: `The BACnet port ${port} is outside 1 to 65535. Enter a UDP port such as ${DEFAULT_BACNET_PORT}.` };
  return { ok: true, value: port };
}
