import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { ConfigError, loadSiteConfig, resolveSiteConfig } from '../../src/config/load';

const dir = mkdtempSync(join(tmpdir(), 'edge-config-'));
let fileCount = 0;

/** Writes `text` to a new file in the temp folder and returns its path. */
function writeSiteFile(text: string, extension = 'yaml'): string {
  const path = join(dir, `site-${++fileCount}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const site = { id: 'test-site', name: 'Test site', timeZone: 'Europe/Paris' };

/** A Modbus TCP device with one float32 point, plus overrides. */
const modbusDevice = (key: string, overrides: Record<string, unknown> = {}) => ({
  key,
  driver: 'modbus-tcp',
  connection: { host: '127.0.0.1', port: 15021 },
  points: [{ key: 'powerW', address: 0, unit: 'W' }],
  ...overrides,
});

/** Runs the loader on a YAML file of `document` and returns the issues of the ConfigError it throws. */
function issuesOf(document: unknown): string[] {
  const path = writeSiteFile(toYaml(document));
  try {
    loadSiteConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error(`expected ${path} to be rejected`);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadSiteConfig formats', () => {
  const document = {
    site,
    storage: { commitIntervalMs: 500 },
    devices: [
      modbusDevice('meter', { pollIntervalMs: 2000 }),
      { key: 'weather', driver: 'mqtt', connection: { url: 'mqtt://127.0.0.1:15022' }, points: [{ key: 'tempC', topic: 'site/weather', path: 'oat_C', unit: 'C' }] },
    ],
  };

  it('loads YAML', () => {
    const config = loadSiteConfig(writeSiteFile(toYaml(document)));

    expect(config.site).toEqual({ ...site, operatorControl: false });
    expect(config.storage.commitIntervalMs).toBe(500);
    expect(config.devices.map((device) => device.key)).toEqual(['meter', 'weather']);
    expect(config.devices[0]!.pollIntervalMs).toBe(2000);
    expect(config.devices[0]!.points[0]).toMatchObject({ key: 'powerW', address: 0, table: 'holding-register', dataType: 'float32' });
  });

  it('loads JSON the same as YAML', () => {
    const fromJson = loadSiteConfig(writeSiteFile(JSON.stringify(document, null, 2), 'json'));
    const fromYaml = loadSiteConfig(writeSiteFile(toYaml(document)));

    expect(fromJson).toEqual(fromYaml);
  });

  it('fills defaults', () => {
    const config = loadSiteConfig(writeSiteFile(toYaml({ site, devices: [modbusDevice('meter')] })));

    expect(config.storage.commitIntervalMs).toBe(1000);
    expect(config.storage.retention.rawDays).toBe(7);
    expect(config.devices[0]!.pollIntervalMs).toBe(5000);
    expect(config.devices[0]!.enabled).toBe(true);
  });

  it('expands a device template', () => {
    const config = loadSiteConfig(
      writeSiteFile(
        toYaml({
          site,
          devices: [modbusDevice('submeter', { template: 'eastron-sdm630', addressing: 'register-number', points: [{ key: 'l1_voltage', address: 30001, name: 'Mains L1' }] })],
        }),
      ),
    );

    const points = config.devices[0]!.points;
    expect(points.length).toBeGreaterThan(10);
    expect(points[0]).toMatchObject({ key: 'l1_voltage', name: 'Mains L1', table: 'input-register', address: 0 });
    expect(new Set(points.map((point) => point.key)).size).toBe(points.length);
  });

  it('substitutes environment variables', () => {
    vi.stubEnv('EDGE_TEST_MODBUS_HOST', '127.0.0.9');
    const text = [
      'site: { id: test-site, name: Test site, timeZone: UTC }',
      'mqtt: { url: "${EDGE_TEST_BROKER_URL:-mqtt://127.0.0.1:15023}" }',
      'devices:',
      '  - { key: meter, driver: modbus-tcp, connection: { host: "${EDGE_TEST_MODBUS_HOST}" } }',
    ].join('\n');

    const config = loadSiteConfig(writeSiteFile(text));

    expect(config.mqtt?.url).toBe('mqtt://127.0.0.1:15023');
    expect(config.devices[0]!.connection).toMatchObject({ host: '127.0.0.9' });
  });
});

describe('loadSiteConfig errors', () => {
  const cases: Array<{ name: string; document: unknown; issue: string | RegExp }> = [
    {
      name: 'a bad word order',
      document: {
        site,
        devices: [
          modbusDevice('meter-a'),
          modbusDevice('meter-b'),
          modbusDevice('meter-c', {
            points: [0, 2, 4, 6, 8, 10].map((address, index) => ({ key: `p${index}`, address, ...(index === 5 ? { wordOrder: 'ACBD' } : {}) })),
          }),
        ],
      },
      issue: 'devices[2].points[5].wordOrder: expected "ABCD" | "CDAB" | "BADC" | "DCBA", got "ACBD"',
    },
    { name: 'an unknown driver', document: { site, devices: [{ key: 'hvac', driver: 'knx' }] }, issue: 'devices[0].driver: expected "modbus-tcp" | "modbus-rtu" | "mqtt" | "bacnet", got "knx"' },
    { name: 'an MQTT device without a broker', document: { site, devices: [{ key: 'weather', driver: 'mqtt', points: [{ key: 'tempC', topic: 'weather/temp' }] }] }, issue: 'devices[0].connection.url: missing: the MQTT device names no broker and the site has no mqtt.url; set one of them' },
    {
      name: 'BACnet devices on one port with different addresses',
      document: {
        site,
        devices: [
          { key: 'ahu-1', driver: 'bacnet', connection: { deviceInstance: 1, localPort: 47810, localAddress: '127.0.0.1' } },
          { key: 'ahu-2', driver: 'bacnet', connection: { deviceInstance: 2, localPort: 47810 } },
        ],
      },
      issue:
        'devices[1].connection.localAddress: "0.0.0.0" differs from "127.0.0.1" of devices[0] on the same localPort 47810; devices on one UDP port share one client, so use the same localAddress or another localPort',
    },
    { name: 'an unknown time zone', document: { site: { ...site, timeZone: 'Mars/Olympus' } }, issue: 'site.timeZone: expected an IANA time zone name such as "Europe/Paris"' },
    { name: 'a site id with spaces', document: { site: { ...site, id: 'Test Site' } }, issue: 'site.id: expected lowercase letters, digits, "_" or "-"' },
    { name: 'a missing site', document: { devices: [] }, issue: /^site: .*expected object/ },
    { name: 'a document that is a string', document: 'site', issue: /^\(root\): .*expected object/ },
    { name: 'devices that are not a list', document: { site, devices: { meter: {} } }, issue: /^devices: .*expected array/ },
    { name: 'an unknown unit', document: { site, devices: [modbusDevice('meter', { points: [{ key: 'powerW', address: 0, unit: 'watts' }] })] }, issue: /^devices\[0\]\.points\[0\]\.unit: expected "" \| "W" \| "kW"/ },
    { name: 'an unknown table', document: { site, devices: [modbusDevice('meter', { points: [{ key: 'powerW', address: 0, table: 'register' }] })] }, issue: 'devices[0].points[0].table: expected "coil" | "discrete-input" | "input-register" | "holding-register", got "register"' },
    { name: 'an unknown data type', document: { site, devices: [modbusDevice('meter', { points: [{ key: 'powerW', address: 0, dataType: 'float16' }] })] }, issue: /^devices\[0\]\.points\[0\]\.dataType: expected "bool" \| "int16"/ },
    { name: 'an unknown point kind', document: { site, devices: [modbusDevice('meter', { points: [{ key: 'energyWh', address: 0, kind: 'total' }] })] }, issue: 'devices[0].points[0].kind: expected "gauge" | "counter" | "state", got "total"' },
    { name: 'an address above 65535', document: { site, devices: [modbusDevice('meter', { points: [{ key: 'powerW', address: 70_000 }] })] }, issue: /^devices\[0\]\.points\[0\]\.address: .*<=65535/ },
    { name: 'a port above 65535', document: { site, devices: [modbusDevice('meter', { connection: { host: '127.0.0.1', port: 70_000 } })] }, issue: /^devices\[0\]\.connection\.port: .*<=65535/ },
    { name: 'a missing host', document: { site, devices: [modbusDevice('meter', { connection: { port: 15021 } })] }, issue: /^devices\[0\]\.connection\.host: .*expected string/ },
    { name: 'a poll interval under 100 ms', document: { site, devices: [modbusDevice('meter', { pollIntervalMs: 10 })] }, issue: /^devices\[0\]\.pollIntervalMs: .*>=100/ },
    { name: 'a device key with a dot', document: { site, devices: [modbusDevice('meter.1')] }, issue: 'devices[0].key: expected lowercase letters, digits, "_" or "-" (max 64), no "."' },
    { name: 'an unknown parity', document: { site, devices: [{ key: 'rtu', driver: 'modbus-rtu', connection: { path: '/dev/ttyUSB0', parity: 'mark' } }] }, issue: 'devices[0].connection.parity: expected "none" | "even" | "odd", got "mark"' },
    { name: 'an empty MQTT topic', document: { site, devices: [{ key: 'weather', driver: 'mqtt', points: [{ key: 'tempC', topic: '' }] }] }, issue: /^devices\[0\]\.points\[0\]\.topic: .*>=1 characters/ },
    { name: 'an invalid broker URL', document: { site, mqtt: { url: 'broker' } }, issue: /^mqtt\.url: .*URL/ },
    { name: 'a commit interval under 50 ms', document: { site, storage: { commitIntervalMs: 5 } }, issue: /^storage\.commitIntervalMs: .*>=50/ },
    { name: 'a negative retention', document: { site, storage: { retention: { rawDays: -1 } } }, issue: /^storage\.retention\.rawDays: .*>0/ },
    { name: 'an unknown addressing', document: { site, devices: [modbusDevice('meter', { addressing: 'modicon' })] }, issue: 'devices[0].addressing: expected "protocol" | "register-number", got "modicon"' },
    { name: 'an unknown template', document: { site, devices: [modbusDevice('meter', { template: 'sdm-999' })] }, issue: /^devices\[0\]: unknown device template "sdm-999"; known templates: .*eastron-sdm630/ },
    {
      name: 'a register number in no table',
      document: { site, devices: [modbusDevice('meter', { addressing: 'register-number', points: [{ key: 'powerW', address: 20_001 }] })] },
      issue: /^devices\[0\]: points\[0\] \(powerW\): register number 20001 is outside every range: expected .*30001-39999 input registers/,
    },
    {
      name: 'register numbers on an MQTT device',
      document: { site, devices: [{ key: 'weather', driver: 'mqtt', addressing: 'register-number', points: [] }] },
      issue: 'devices[0]: addressing "register-number" applies to Modbus devices only, not to driver "mqtt"',
    },
    { name: 'a duplicate device key', document: { site, devices: [modbusDevice('meter'), modbusDevice('pv'), modbusDevice('meter')] }, issue: 'devices[2].key: duplicate device key "meter"' },
    {
      name: 'a duplicate point key',
      document: { site, devices: [modbusDevice('meter', { points: [{ key: 'powerW', address: 0 }, { key: 'energyWh', address: 2 }, { key: 'powerW', address: 4 }] })] },
      issue: 'devices[0].points[2].key: duplicate point key "powerW"',
    },
    {
      name: 'a duplicate point key in a later device',
      document: { site, devices: [modbusDevice('pv'), modbusDevice('meter', { points: [{ key: 'powerW', address: 0 }, { key: 'powerW', address: 4 }] })] },
      issue: 'devices[1].points[1].key: duplicate point key "powerW"',
    },
    {
      name: 'a duplicate key among points that override a template',
      document: {
        site,
        devices: [
          modbusDevice('submeter', {
            template: 'eastron-sdm630',
            addressing: 'register-number',
            points: [
              { key: 'l1_voltage', address: 30001 },
              { key: 'l1_voltage', address: 30003 },
            ],
          }),
        ],
      },
      issue: 'devices[0].points[1].key: duplicate point key "l1_voltage"',
    },
  ];

  for (const { name, document, issue } of cases) {
    it(`names the field for ${name}`, () => {
      const issues = issuesOf(document);

      if (typeof issue === 'string') expect(issues).toContain(issue);
      else expect(issues.some((line) => issue.test(line)), `issues: ${JSON.stringify(issues)}`).toBe(true);
    });
  }

  it('lists every bad field at once', () => {
    const error = catchConfigError(() =>
      resolveSiteConfig(
        {
          site,
          devices: [
            modbusDevice('meter', { points: [{ key: 'powerW', address: 0, wordOrder: 'abcd' }] }),
            modbusDevice('pv', { pollIntervalMs: 1 }),
          ],
        },
        'site.yaml',
      ),
    );

    expect(error.issues).toHaveLength(2);
    expect(error.issues[0]).toMatch(/^devices\[0\]\.points\[0\]\.wordOrder: /);
    expect(error.issues[1]).toMatch(/^devices\[1\]\.pollIntervalMs: /);
    expect(error.message).toContain('invalid site configuration in site.yaml');
    expect(error.message).toContain(error.issues[1]);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.yaml');

    const error = catchConfigError(() => loadSiteConfig(path));

    expect(error.message).toContain(path);
    expect(error.issues[0]).toMatch(/^cannot read the file: .*ENOENT/);
  });

  it('names the line of broken YAML', () => {
    const path = writeSiteFile('site:\n  id: test-site\n  name: [unclosed\n');

    const error = catchConfigError(() => loadSiteConfig(path));

    expect(error.issues[0]).toMatch(/^not valid YAML or JSON: /);
    expect(error.issues[0]).toMatch(/at line \d+, column \d+/);
  });

  it('names an unset environment variable', () => {
    vi.stubEnv('EDGE_TEST_UNSET_HOST', undefined);
    const text = 'site: { id: test-site, name: Test site, timeZone: UTC }\ndevices:\n  - { key: meter, driver: modbus-tcp, connection: { host: "${EDGE_TEST_UNSET_HOST}" } }\n';

    const error = catchConfigError(() => loadSiteConfig(writeSiteFile(text)));

    expect(error.issues).toEqual([
      'devices[0].connection.host: environment variable EDGE_TEST_UNSET_HOST is not set and ${EDGE_TEST_UNSET_HOST} has no default (write ${EDGE_TEST_UNSET_HOST:-value})',
    ]);
  });
});

function catchConfigError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
