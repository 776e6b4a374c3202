import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_SITES } from '@simtestlab/cloud/src/demo/demo-sites';
import { loadSiteConfig } from '@simtestlab/edge-node/src/config/load';
import type { Device } from '@simtestlab/sync';

const siteFiles = {
  'demo-site-a': fileURLToPath(new URL('../../edge-node/sites/demo-site.yaml', import.meta.url)),
  'demo-site-b': fileURLToPath(new URL('../../edge-node/sites/demo-site-b.yaml', import.meta.url)),
};

/** The parts of a device the hub's demo copy must share with the site file; points come from the edge's catalog. */
function comparable(device: Device) {
  return { key: device.key, name: device.name, driver: device.driver, connection: device.connection, roles: device.roles, pollIntervalMs: device.pollIntervalMs };
}

describe('demo sites of the hub', () => {
  it.each(DEMO_SITES.map((site) => [site.key, site] as const))('%s matches its site file', (key, site) => {
    const config = loadSiteConfig(siteFiles[key]);
    expect(site.devices.map(comparable)).toEqual(config.devices.map(comparable));
  });

  it.each(DEMO_SITES.map((site) => [site.key, site] as const))('%s has the name and time zone of its site file', (key, site) => {
    const config = loadSiteConfig(siteFiles[key]);
    expect(site.name).toBe(config.site.name);
    expect(site.timeZone).toBe(config.site.timeZone);
  });

  it('weather points match site A', () => {
    const config = loadSiteConfig(siteFiles['demo-site-a']);
    const hubWeather = DEMO_SITES[0]!.devices.find((device) => device.key === 'weather');
    expect(hubWeather?.points).toEqual(config.devices.find((device) => device.key === 'weather')?.points);
  });
});
