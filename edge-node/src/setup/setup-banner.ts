import { networkInterfaces } from 'node:os';
import { isLoopbackAddress } from '../api/loopback';
import { SETUP_PAGE_PATH } from './setup-status';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * Returns the setup page URLs to show. A node listening on every address gets one URL per
 * non-internal IPv4 address of the machine, or the loopback URL when it has none.
 */
export function setupPageUrls(host: string, port: number): string[] {
  if (!WILDCARD_HOSTS.has(host)) {
    const shown = host.includes(':') ? `[${host}]` : host;
    return [`http://${shown}:${port}${SETUP_PAGE_PATH}`];
  }
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
  const hosts = addresses.length > 0 ? addresses : ['127.0.0.1'];
  return hosts.map((address) => `http://${address}:${port}${SETUP_PAGE_PATH}`);
}

/**
 * Formats the block printed on the console and in the journal when setup mode starts. When the node
 * listens on an address other hosts can reach but `allowRemote` is off, the block adds a warning,
 * because every client but this machine gets 403.
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
    'Open the setup page in a browser and enter the code:',
    ...urls.map((url) => `  ${url}`),
    ...warning,
    rule,
    '',
  ].join('\n');
}
