import { BlockList, isIP } from 'node:net';
import { ALLOW_PRIVATE_VARIABLE } from './notification-settings';

/**
 * Address ranges that are not on the public internet: loopback, private networks (RFC 1918, unique
 * local), carrier-grade NAT, link-local (cloud metadata services live there), documentation and
 * benchmarking ranges, multicast, reserved, and IPv6 forms that embed an IPv4 address.
 */
const nonPublicIpv4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublicIpv4.addSubnet(network, prefix, 'ipv4');
}
// A separate list, because a BlockList also matches IPv4 addresses against its IPv6 rules in their
// IPv4-mapped form, and ::ffff:0:0/96 would then match every IPv4 address.
const nonPublicIpv6 = new BlockList();
// ::/96 contains the unspecified and loopback addresses and the deprecated IPv4-compatible form; 6to4,
// Teredo, NAT64 (well-known and local-use) and IPv4-translated addresses carry an IPv4 address too.
for (const [network, prefix] of [
  ['::', 96],
  ['::ffff:0:0', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  nonPublicIpv6.addSubnet(network, prefix, 'ipv6');
}

/** Host names reserved for one machine or a private network, which public DNS never resolves. */
const privateNameSuffixes = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

/** Checks whether an IP address (v4 or v6, without brackets) is a public internet address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !nonPublicIpv4.check(address, 'ipv4') : !nonPublicIpv6.check(address, 'ipv6');
}

/** Returns a URL's host without the brackets of an IPv6 literal. */
export function hostOfUrl(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a webhook URL and returns what is wrong with it, or null when it may be used. Without
 * `allowPrivate`, the URL must be https and its host a public address or a public-looking name.
 * A name is checked again when a request resolves it, because it may resolve to a private address.
 */
export function webhookUrlProblem(text: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `webhook URL "${text}" is not a valid absolute URL; expected https://host/path`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `webhook URL "${text}" uses ${url.protocol}; expected https://`;
  }
  if (url.username !== '' || url.password !== '') {
    return `webhook URL "${url.protocol}//${url.host}${url.pathname}" carries a user name or password, which the API would show and the audit log keep; authenticate the receiver with the signature instead`;
  }
  if (allowPrivate) return null;

  const hint = `; set ${ALLOW_PRIVATE_VARIABLE}=true on the hub to allow it for tests and labs`;
  if (url.protocol === 'http:') return `webhook URL "${text}" uses plain http; use https${hint}`;
  // A trailing dot makes a name fully qualified without changing what it resolves to.
  const host = hostOfUrl(url).toLowerCase().replace(/\.$/, '');
  if (isIP(host) !== 0) {
    return isPublicAddress(host) ? null : `webhook URL "${text}" points at the non-public address ${host}${hint}`;
  }
  if (host === 'localhost' || !host.includes('.') || privateNameSuffixes.some((suffix) => host.endsWith(suffix))) {
    return `webhook URL "${text}" names the local or private host "${host}"${hint}`;
  }
  return null;
}
