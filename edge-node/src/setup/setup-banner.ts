import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import { isLoopbackAddress } from '../api/loopback';
import { SETUP_PAGE_PATH } from './setup-status';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);
/** How often setup mode looks for changed addresses; DHCP may assign one long after the start. */
export const ADDRESS_POLL_MS = 10_000;

/** Lists the network interfaces of the machine; os.networkInterfaces outside tests. */
export type InterfaceLister = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * Returns the setup page URLs to show. A node listening on every address gets one URL per
 * non-internal IPv4 address of the machine, sorted, and none while the machine has no such address.
 */
export function setupPageUrls(host: string, port: number, listInterfaces: InterfaceLister = networkInterfaces): string[] {
  if (!WILDCARD_HOSTS.has(host)) {
    const shown = host.includes(':') ? `[${host}]` : host;
    return [`http://${shown}:${port}${SETUP_PAGE_PATH}`];
  }
  const addresses = Object.values(listInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
  return [...new Set(addresses)].sort().map((address) => `http://${address}:${port}${SETUP_PAGE_PATH}`);
}

export interface AddressWatch {
  stop(): void;
}

/**
 * Calls `onChange` with the new setup page URLs whenever the machine's IPv4 addresses change, checked
 * every `intervalMs`. A node bound to one address has fixed URLs, so nothing is watched for it.
 */
export function watchSetupPageUrls(
  options: { host: string; port: number; initial: readonly string[]; listInterfaces?: InterfaceLister; intervalMs?: number },
  onChange: (urls: string[]) => void,
): AddressWatch {
  if (!WILDCARD_HOSTS.has(options.host)) return { stop: () => undefined };
  let shown = options.initial.join(' ');
  const timer = setInterval(() => {
    const urls = setupPageUrls(options.host, options.port, options.listInterfaces);
    if (urls.join(' ') === shown) return;
    shown = urls.join(' ');
    onChange(urls);
  }, options.intervalMs ?? ADDRESS_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Formats the block printed on the console and in the journal when setup mode starts. When the node
 * listens on an address other hosts can reach but `allowRemote` is off, the block adds a warning,
 * because every client but this machine gets 403. With no URL yet (no network address), the block tells
 * how to get one, and setup mode prints it again when an address appears.
 */
export function setupBanner(formattedCode: string, urls: readonly string[], configPath: string, access: { host: string; allowRemote: boolean }): string {
  const rule = '='.repeat(64);
  const localOnly = !access.allowRemote && !isLoopbackAddress(access.host) && access.host !== 'localhost';
  const warning = localOnly
    ? ['', 'WARNING: without --allow-remote only this machine may open the setup page; other hosts', 'get 403. Restart with --allow-remote to set the node up from another host.']
    : [];
  return [
    rule,
    'SimTestLab edge node: SETUP MODE',
    `No site file at ${configPath}, so the node waits to be set up.`,
    '',
    `  Setup code: ${formattedCode}`,
    '',
    ...(urls.length > 0
      ? ['Open the setup page in a browser and enter the code:', ...urls.map((url) => `  ${url}`)]
      : ['No network address yet: connect the network cable; the address appears here when DHCP assigns one.']),
    ...warning,
    rule,
    '',
  ].join('\n');
}
