import { describe, expect, it } from 'vitest';
import { suggestModbusTemplates } from '../../src/setup/scan/template-suggestions';
import { setupBanner } from '../../src/setup/setup-banner';
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
