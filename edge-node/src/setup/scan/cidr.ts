/**
 * IPv4 CIDR parsing and host enumeration for the LAN scan. Addresses are unsigned 32-bit numbers.
 */

/** Shortest prefix a scan accepts: /22 is 1024 addresses, which bounds the work of one scan. */
export const MIN_SCAN_PREFIX = 22;

/** An IPv4 network: its first address, prefix length and the address count it covers. */
export interface Ipv4Cidr {
  /** Network address with the host bits cleared, as an unsigned 32-bit number. */
  network: number;
  prefix: number;
  /** Addresses in the network, network and broadcast addresses included. */
  size: number;
}

/** Error for a CIDR that is not a valid IPv4 network the scan accepts. The message names the value. */
export class InvalidCidrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCidrError';
  }
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/**
 * Ranges that are never a device LAN, so a scan of them is a mistake or an attempt to reach something
 * else: "this network" (RFC 791), link-local with the cloud metadata address 169.254.169.254
 * (RFC 3927), multicast (RFC 5771) and reserved with the limited broadcast address (RFC 1112).
 * Loopback stays allowed because simulators listen there.
 */
const NON_LAN_RANGES = [
  { cidr: '0.0.0.0/8', what: '"this network" addresses' },
  { cidr: '169.254.0.0/16', what: 'link-local addresses, where cloud metadata services live' },
  { cidr: '224.0.0.0/4', what: 'multicast addresses' },
  { cidr: '240.0.0.0/4', what: 'reserved addresses and the broadcast address' },
].map((range) => {
  const [address, prefix] = range.cidr.split('/') as [string, string];
  return { ...range, network: parseIpv4(address)!, prefix: Number(prefix) };
});

/** Parses dotted-quad IPv4 text into an unsigned 32-bit number, or returns undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Formats an unsigned 32-bit number as dotted-quad IPv4 text. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

function networkMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses `a.b.c.d/n` for a scan. Host bits may be set (`192.168.1.17/24` is the network
 * 192.168.1.0/24). Throws InvalidCidrError naming the value when the text is not IPv4 CIDR, has no
 * prefix, the prefix is shorter than /22, or the network lies in a range that is never a device LAN.
 */
export function parseScanCidr(text: string): Ipv4Cidr {
  const value = text.trim();
  const example = 'write it as a network such as 192.168.1.0/24';
  if (value.includes(':')) {
    throw new InvalidCidrError(`cidr "${value}" is IPv6; the scan takes an IPv4 network such as 192.168.1.0/24`);
  }
  const slash = value.indexOf('/');
  if (slash === -1 && parseIpv4(value) !== undefined) {
    throw new InvalidCidrError(`cidr "${value}" has no prefix length; write it as ${value}/24 or with another prefix from /${MIN_SCAN_PREFIX} to /32`);
  }
  if (slash === -1) {
    throw new InvalidCidrError(`cidr "${value}" is not an IPv4 network; ${example}`);
  }
  const address = parseIpv4(value.slice(0, slash));
  const prefixText = value.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    throw new InvalidCidrError(`cidr "${value}" is not an IPv4 network; ${example}`);
  }

  const prefix = Number(prefixText);
  if (prefix < MIN_SCAN_PREFIX) {
    throw new InvalidCidrError(
      `cidr "${value}" covers ${2 ** (32 - prefix)} addresses; use a prefix of /${MIN_SCAN_PREFIX} or longer (at most ${2 ** (32 - MIN_SCAN_PREFIX)} addresses), or scan several smaller networks`,
    );
  }

  const network = (address & networkMask(prefix)) >>> 0;
  // Every rejected range is /16 or wider and a scan /22 or narrower, so a scan lies inside one or outside all.
  const reserved = NON_LAN_RANGES.find((range) => ((network & networkMask(range.prefix)) >>> 0) === range.network);
  if (reserved !== undefined) {
    throw new InvalidCidrError(`cidr "${value}" lies in ${reserved.cidr}, ${reserved.what}, which is never a device LAN; ${example}`);
  }
  return { network, prefix, size: 2 ** (32 - prefix) };
}

/** Formats a network as `a.b.c.d/n`. */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** Returns the directed broadcast address of the network (its last address). */
export function broadcastAddress(cidr: Ipv4Cidr): string {
  return formatIpv4(cidr.network + cidr.size - 1);
}

/**
 * Lists the host addresses of the network in order. For prefixes up to /30 the network and broadcast
 * addresses are left out; a /31 (point-to-point, RFC 3021) and a /32 have no such addresses.
 */
export function cidrHosts(cidr: Ipv4Cidr): string[] {
  const skipEnds = cidr.prefix < 31;
  const first = skipEnds ? cidr.network + 1 : cidr.network;
  const last = skipEnds ? cidr.network + cidr.size - 2 : cidr.network + cidr.size - 1;
  const hosts: string[] = [];
  for (let address = first; address <= last; address++) hosts.push(formatIpv4(address));
  return hosts;
}
