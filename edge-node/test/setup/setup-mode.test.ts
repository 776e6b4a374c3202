import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../src/config/load';
import { startSimulator, type RunningSimulator } from '../../src/simulate/simulators';
import { bearer, loginOverHttp } from '../auth/auth-support';
import { requestJson, startSetupProcess, waitFor, type SetupProcess } from './support/setup-process';

/*
 * First-boot setup of a real `edge-node start` process whose site file is missing. The tests cover the
 * banner, the setup-mode API and every step through the HTTP API. They end with the switch to the
 * normal edge node on the same port, which then polls a real SDM630 simulator.
 */

const ADMIN = { username: 'site-installer', password: 'a long enough password' };

let dir: string;
let configPath: string;
let dataDir: string;
let meter: RunningSimulator;
let edge: SetupProcess;
let token: string;

const meterPort = () => Number(meter.endpoint.split(':').at(-1));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-setup-'));
  configPath = join(dir, 'etc', 'site.yaml');
  dataDir = join(dir, 'data');
  meter = await startSimulator('sdm630', { port: 0 });
  edge = await startSetupProcess(configPath, dataDir);
}, 30_000);

afterAll(async () => {
  await edge?.stop();
  await meter?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

const api = (path: string) => `${edge.url}/api${path}`;

describe('setup mode of edge-node start', { timeout: 30_000 }, () => {
  it('prints the stored setup code', () => {
    const path = join(dataDir, 'setup-code');
    const stored = readFileSync(path, 'utf8').trim();

    expect(stored).toMatch(/^\d{8}$/);
    expect(edge.printedCode).toBe(`${stored.slice(0, 4)}-${stored.slice(4)}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reports setup mode on health and instance', async () => {
    const health = await requestJson(api('/health'), 'GET');
    const instance = await requestJson(api('/instance'), 'GET');

    expect(health.status).toBe(200);
    expect(health.body.mode).toBe('setup');
    expect(typeof health.body.version).toBe('string');
    expect(instance.status).toBe(200);
    expect(instance.body.setup).toBe(true);
    expect(instance.body.mode).toBe('edge');
  });

  it('returns 503 on other API routes', async () => {
    const devices = await requestJson(api('/devices'), 'GET');
    const login = await requestJson(api('/auth/login'), 'POST', ADMIN);

    expect(devices.status).toBe(503);
    expect(devices.body.error.message).toBe('setup is not finished: open /setup on this node');
    expect(login.status).toBe(503);
  });

  it('serves the web app at /setup', async () => {
    const response = await fetch(`${edge.url}/setup`, { headers: { Accept: 'text/html' } });

    expect(response.status, 'ui/dist must be built (pnpm -C ui build)').toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('reports the status before any step', async () => {
    const status = await requestJson(api('/setup/status'), 'GET');

    expect(status.status).toBe(200);
    expect(status.body).toEqual({ state: 'setup', steps: { admin: false, site: null, devices: 0 }, setupUrl: '/setup' });
  });

  it('requires a setup token for the steps', async () => {
    const missing = await requestJson(api('/setup/admin'), 'POST', ADMIN);
    const invalid = await requestJson(api('/setup/admin'), 'POST', ADMIN, 'not-a-token');

    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_setup_token');
    expect(invalid.status).toBe(401);
    expect(invalid.body.error.code).toBe('invalid_setup_token');
  });

  it('rejects a wrong code with 401', async () => {
    const wrongDigit = edge.printedCode.endsWith('0') ? `${edge.printedCode.slice(0, -1)}1` : `${edge.printedCode.slice(0, -1)}0`;

    const wrong = await requestJson(api('/setup/unlock'), 'POST', { code: wrongDigit });
    const malformed = await requestJson(api('/setup/unlock'), 'POST', { code: 'abc' });
    const missing = await requestJson(api('/setup/unlock'), 'POST', {});

    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toContain('wrong setup code');
    expect(malformed.status, 'input that is not 8 digits is a typo and does not count toward the lockout').toBe(400);
    expect(malformed.body.error.message).toContain('code: enter the 8 digits');
    expect(missing.status).toBe(400);
    expect(missing.body.error.parameter).toBe('code');
  });

  it('unlocks with the printed code', async () => {
    const unlocked = await requestJson(api('/setup/unlock'), 'POST', { code: edge.printedCode });

    expect(unlocked.status).toBe(200);
    expect(unlocked.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiresInMs = Date.parse(unlocked.body.expiresAt) - Date.now();
    expect(expiresInMs).toBeGreaterThan(59 * 60_000);
    expect(expiresInMs).toBeLessThanOrEqual(60 * 60_000);
    token = unlocked.body.token;
  });

  it('refuses to finish without an admin and a site', async () => {
    const finish = await requestJson(api('/setup/finish'), 'POST', undefined, token);

    expect(finish.status).toBe(409);
    expect(finish.body.error.message).toContain('POST /api/setup/admin');
  });

  it('applies the password and username rules', async () => {
    const short = await requestJson(api('/setup/admin'), 'POST', { username: ADMIN.username, password: 'short' }, token);
    const badName = await requestJson(api('/setup/admin'), 'POST', { username: 'a b', password: ADMIN.password }, token);

    expect(short.status).toBe(400);
    expect(short.body.error.parameter).toBe('password');
    expect(short.body.error.message).toContain('at least 12 characters');
    expect(badName.status).toBe(400);
    expect(badName.body.error.parameter).toBe('username');
  });

  it('replaces the admin of an earlier step', async () => {
    const first = await requestJson(api('/setup/admin'), 'POST', { username: 'first-choice', password: ADMIN.password }, token);
    const second = await requestJson(api('/setup/admin'), 'POST', ADMIN, token);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ username: ADMIN.username });
    const db = new Database(join(dataDir, 'edge.db'), { readonly: true });
    try {
      const names = db.prepare('SELECT username FROM local_accounts ORDER BY username').all();
      expect(names).toEqual([{ username: ADMIN.username }]);
    } finally {
      db.close();
    }
  });

  it('checks the standalone site', async () => {
    const badZone = await requestJson(api('/setup/standalone'), 'POST', { siteName: 'Plant North', timeZone: 'Mars/Olympus' }, token);
    const site = await requestJson(api('/setup/standalone'), 'POST', { siteName: 'Plant North', timeZone: 'Europe/Berlin' }, token);

    expect(badZone.status).toBe(400);
    expect(badZone.body.error.parameter).toBe('timeZone');
    expect(site.status).toBe(200);
    expect(site.body).toEqual({ siteId: 'plant-north', siteName: 'Plant North', timeZone: 'Europe/Berlin' });
  });

  it('lists the shipped templates', async () => {
    const listed = await requestJson(api('/setup/templates'), 'GET', undefined, token);

    expect(listed.status).toBe(200);
    const byId = new Map(listed.body.templates.map((template: { id: string }) => [template.id, template]));
    expect(byId.get('eastron-sdm630')).toMatchObject({ protocol: 'modbus-tcp', name: 'Eastron SDM630 three-phase energy meter' });
    expect(byId.get('sunspec')).toMatchObject({ protocol: 'modbus-tcp' });
    expect(byId.get('flexlab-ahu')).toMatchObject({ protocol: 'bacnet' });
  });

  it('finds the simulator with a loopback scan', async () => {
    const missingCidr = await requestJson(api('/setup/scan'), 'POST', { modbusPorts: [meterPort()] }, token);
    const started = await requestJson(api('/setup/scan'), 'POST', { cidr: '127.0.0.1/32', modbusPorts: [meterPort()], bacnet: false }, token);

    expect(missingCidr.status).toBe(400);
    expect(missingCidr.body.error.parameter).toBe('cidr');
    expect(started.status).toBe(202);
    const job = await waitFor('the scan to end', async () => {
      const polled = await requestJson(api(`/setup/scan/${started.body.scanId}`), 'GET', undefined, token);
      return polled.body.state === 'running' ? undefined : polled.body;
    });
    expect(job.state).toBe('done');
    expect(job.found).toEqual([expect.objectContaining({ protocol: 'modbus-tcp', host: '127.0.0.1', port: meterPort(), unitId: 1 })]);
  });

  it('rejects devices with an unknown template', async () => {
    const picked = await requestJson(
      api('/setup/devices'),
      'POST',
      { devices: [{ name: 'Meter', template: 'no-such-meter', protocol: 'modbus-tcp', host: '127.0.0.1', port: meterPort() }] },
      token,
    );
    const noInstance = await requestJson(
      api('/setup/devices'),
      'POST',
      { devices: [{ name: 'AHU', template: 'flexlab-ahu', protocol: 'bacnet', address: '127.0.0.1', port: 47808 }] },
      token,
    );

    expect(picked.status).toBe(400);
    expect(picked.body.error.parameter).toBe('devices[0].template');
    expect(picked.body.error.message).toContain('eastron-sdm630');
    expect(noInstance.status).toBe(400);
    expect(noInstance.body.error.parameter).toBe('devices[0].deviceInstance');
  });

  it('accepts devices from templates', async () => {
    const picked = await requestJson(
      api('/setup/devices'),
      'POST',
      { devices: [{ name: 'House meter', template: 'eastron-sdm630', protocol: 'modbus-tcp', host: '127.0.0.1', port: meterPort(), unitId: 1 }] },
      token,
    );
    const status = await requestJson(api('/setup/status'), 'GET');

    expect(picked.status).toBe(200);
    expect(picked.body).toEqual({ devices: 1 });
    expect(status.body.steps).toEqual({
      admin: true,
      site: { mode: 'standalone', siteId: 'plant-north', siteName: 'Plant North', timeZone: 'Europe/Berlin' },
      devices: 1,
    });
  });

  it('finishes and switches to the edge node', async () => {
    const finished = await requestJson(api('/setup/finish'), 'POST', undefined, token);

    expect(finished.status).toBe(200);
    expect(finished.body).toEqual({ state: 'complete', loginUrl: '/login' });
    const health = await waitFor('the edge node on the same port', async () => {
      const response = await requestJson(api('/health'), 'GET');
      return response.body?.mode === 'running' ? response.body : undefined;
    });
    expect(health.site).toBe('plant-north');
  });

  it('writes a valid site file', () => {
    const config = loadSiteConfig(configPath);

    expect(config.site).toMatchObject({ id: 'plant-north', name: 'Plant North', timeZone: 'Europe/Berlin' });
    expect(config.devices.map((device) => device.key)).toEqual(['house-meter']);
    expect(config.devices[0]!.connection).toMatchObject({ host: '127.0.0.1', port: meterPort(), unitId: 1 });
  });

  it('removes the setup code', () => {
    expect(existsSync(join(dataDir, 'setup-code'))).toBe(false);
  });

  it('reports setup complete on the running node', async () => {
    const status = await requestJson(api('/setup/status'), 'GET');
    const instance = await requestJson(api('/instance'), 'GET');

    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      state: 'complete',
      steps: { admin: true, site: { mode: 'standalone', siteId: 'plant-north', siteName: 'Plant North', timeZone: 'Europe/Berlin' }, devices: 1 },
      setupUrl: '/setup',
    });
    expect(instance.body.setup).toBeUndefined();
    expect(instance.body.siteName).toBe('Plant North');
  });

  it('logs in and reads the device', async () => {
    const accessToken = await loginOverHttp(edge.url, ADMIN.username, ADMIN.password);

    const point = await waitFor('a good value of house-meter.l1_voltage', async () => {
      const response = await fetch(api('/points/house-meter.l1_voltage'), bearer(accessToken));
      const body = (await response.json()) as { quality: string | null; value: unknown };
      return body.quality === 'good' ? body : undefined;
    });
    expect(typeof point.value).toBe('number');
  });

  it('writes setup audit entries without secrets', () => {
    const db = new Database(join(dataDir, 'edge.db'), { readonly: true });
    let rows: { actor_type: string; action: string; details: string; actor_id: string | null }[];
    try {
      rows = db.prepare("SELECT actor_type, actor_id, action, details FROM audit_log WHERE action LIKE 'setup.%' ORDER BY id").all() as typeof rows;
    } finally {
      db.close();
    }

    const actions = rows.map((row) => row.action);
    expect(actions).toEqual(
      expect.arrayContaining(['setup.unlock_failed', 'setup.unlocked', 'setup.admin_set', 'setup.admin_removed', 'setup.site_set', 'setup.scan_started', 'setup.devices_set', 'setup.finished']),
    );
    expect(rows.every((row) => row.actor_type === 'setup')).toBe(true);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(ADMIN.password);
    expect(text).not.toContain(edge.printedCode.replace('-', ''));
    expect(text).not.toContain(edge.printedCode);
    expect(text).not.toContain(token);
  });

  it('prints the switch on stdout', () => {
    expect(edge.stdout.some((line) => line.startsWith('setup finished: edge node for site "Plant North" listening on'))).toBe(true);
  });
});
