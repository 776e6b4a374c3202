import type { NetworkInterfaceInfo } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { suggestModbusTemplates } from '../../src/setup/scan/template-suggestions';
import { ADDRESS_POLL_MS, setupBanner, setupPageUrls, watchSetupPageUrls } from '../../src/setup/setup-banner';
import { identifierFromName } from '../../src/setup/setup-names';

/* The printed setup banner, identifiers derived from names, and the Modbus template suggestions. */

const urls = ['http://192.0.2.5:8080/setup'];

describe('setup banner', () => {
  const cases: [string, { host: string; allowRemote: boolean }, boolean][] = [
    ['a LAN address without --allow-remote', { host: '192.0.2.5', allowRemote: false }, true],
    ['every address without --allow-remote', { host: '0.0.0.0', allowRemote: false }, true],
    ['a LAN address with --allow-remote', { host: '192.0.2.5', allowRemote: true }, false],
    ['loopback', { host: '127.0.0.1', allowRemote: false }, false],
    ['IPv6 loopback', { host: '::1', allowRemote: false }, false],
  ];
  it.each(cases)('warns about other hosts for %s', (_case, access, warns) => {
    const banner = setupBanner('1234-5678', urls, '/etc/site.yaml', access);

    expect(banner).toContain('Setup code: 1234-5678');
    expect(banner.includes('Restart with --allow-remote')).toBe(warns);
  });
});

/** An interface list as os.networkInterfaces returns it: loopback plus eth0 with the given IPv4 addresses. */
function interfaces(...addresses: string[]): NodeJS.Dict<NetworkInterfaceInfo[]> {
  const entry = (address: string, internal: boolean): NetworkInterfaceInfo => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` });
  return {
    lo: [entry('127.0.0.1', true)],
    eth0: [...addresses.map((address) => entry(address, false)), { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr: 'fe80::1/64', scopeid: 2 }],
  };
}

describe('setup page addresses', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists no URL without an address', () => {
    const none = setupPageUrls('0.0.0.0', 8080, () => interfaces());
    expect(none).toEqual([]);
    const banner = setupBanner('1234-5678', none, '/etc/site.yaml', { host: '0.0.0.0', allowRemote: true });
    expect(banner).toContain('No network address yet: connect the network cable; the address appears here when DHCP assigns one.');
    expect(banner).not.toContain('127.0.0.1');
  });

  it('lists one URL per IPv4 address of a node on every address', () => {
    expect(setupPageUrls('0.0.0.0', 8080, () => interfaces('192.0.2.7', '192.0.2.5'))).toEqual(['http://192.0.2.5:8080/setup', 'http://192.0.2.7:8080/setup']);
    expect(setupPageUrls('192.0.2.9', 8080, () => interfaces())).toEqual(['http://192.0.2.9:8080/setup']);
  });

  it('reports changed addresses until stopped', () => {
    vi.useFakeTimers();
    let current = interfaces();
    const seen: string[][] = [];
    const watch = watchSetupPageUrls({ host: '0.0.0.0', port: 8080, initial: [], listInterfaces: () => current }, (urls) => seen.push(urls));

    vi.advanceTimersByTime(ADDRESS_POLL_MS);
    expect(seen).toEqual([]);
    current = interfaces('192.0.2.5');
    vi.advanceTimersByTime(ADDRESS_POLL_MS);
    expect(seen).toEqual([['http://192.0.2.5:8080/setup']]);
    vi.advanceTimersByTime(ADDRESS_POLL_MS);
    expect(seen).toHaveLength(1);
    current = interfaces();
    vi.advanceTimersByTime(ADDRESS_POLL_MS);
    expect(seen).toEqual([['http://192.0.2.5:8080/setup'], []]);

    watch.stop();
    current = interfaces('192.0.2.6');
    vi.advanceTimersByTime(ADDRESS_POLL_MS * 3);
    expect(seen).toHaveLength(2);
  });

  it('watches nothing for a node bound to one address', () => {
    vi.useFakeTimers();
    const lister = vi.fn(() => interfaces('192.0.2.5'));
    watchSetupPageUrls({ host: '192.0.2.9', port: 8080, initial: ['http://192.0.2.9:8080/setup'], listInterfaces: lister }, () => undefined);
    vi.advanceTimersByTime(ADDRESS_POLL_MS * 3);
    expect(lister).not.toHaveBeenCalled();
  });
});

describe('identifierFromName', () => {
  const cases: [string, string][] = [
    ['Müller Straße', 'muller-strasse'],
    ['Café Ørsted', 'cafe-orsted'],
    ['  PV -- Roof (east) ', 'pv-roof-east'],
    ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['电表', 'site'],
  ];
  it.each(cases)('turns "%s" into "%s"', (name, identifier) => {
    expect(identifierFromName(name, 'site')).toBe(identifier);
  });
});

describe('suggestModbusTemplates', () => {
  it('suggests no register map for a device without SunSpec', () => {
    expect(suggestModbusTemplates(false)).toEqual([]);
  });

  it('suggests the SunSpec template for a SunSpec device', () => {
    expect(suggestModbusTemplates(true)).toEqual(['sunspec']);
  });
});
