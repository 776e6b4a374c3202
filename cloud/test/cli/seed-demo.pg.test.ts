import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrganizations, inTenantScope } from '../../src/db/scope';
import { demoLoginsFileSchema, type DemoLoginsFile } from '../../src/demo/logins-file';
import { call, createCloudFixture, login, type CloudFixture } from '../support/cloud-fixture';
import { runCli } from './run-cli';

let fixture: CloudFixture;
let env: Record<string, string>;
let outDir: string;

function readLogins(): DemoLoginsFile {
  return demoLoginsFileSchema.parse(JSON.parse(readFileSync(join(outDir, 'logins.json'), 'utf8')));
}

function passwordOf(logins: DemoLoginsFile, role: string): string {
  const entry = logins.logins.find((login) => login.role === role);
  if (!entry) throw new Error(`logins.json has no ${role}`);
  return entry.password;
}

async function countRows(table: 'organizations' | 'sites' | 'devices' | 'users' | 'edge_nodes' | 'site_access') {
  const [row] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ count: number }[]>`SELECT count(*)::int AS count FROM ${tx(table)}`);
  return row!.count;
}

beforeAll(async () => {
  fixture = await createCloudFixture('cli_seed_demo');
  env = { DATABASE_URL: fixture.db.runtimeUrl, PUBLIC_URL: 'http://127.0.0.1:8090' };
  outDir = mkdtempSync(join(tmpdir(), 'seed-demo-'));
});

afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await fixture?.close();
});

describe('cloud seed-demo', () => {
  it('seeds the organization, sites, users and codes', async () => {
    const { code, stdout, stderr } = await runCli(['seed-demo', '--out', outDir], { env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('created organization "Demo Energy"');

    const logins = readLogins();
    expect(logins.hubUrl).toBe('http://127.0.0.1:8090');
    expect(logins.logins.map((entry) => entry.email)).toEqual([
      'viewer@demo.example.com',
      'operator@demo.example.com',
      'site-manager@demo.example.com',
      'org-admin@demo.example.com',
      'platform-admin@demo.example.com',
      'developer@demo.example.com',
    ]);
    expect(statSync(join(outDir, 'logins.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(outDir, 'demo-site-a.pairing-code'), 'utf8')).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\n$/);
    expect(readFileSync(join(outDir, 'demo-site-b.pairing-code'), 'utf8')).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\n$/);

    const orgAdmin = await login(fixture.app, 'org-admin@demo.example.com', passwordOf(logins, 'org_admin'));
    const sites = await call(fixture.app, orgAdmin, 'GET', `/api/sites?organizationId=${logins.organizationId}`);
    expect(sites.status).toBe(200);
    const siteNames = (sites.body.sites as { name: string; timeZone: string }[]).map((site) => `${site.name} ${site.timeZone}`).sort();
    expect(siteNames).toEqual(['Demo Site A Europe/Berlin', 'Demo Site B America/Los_Angeles']);
    const siteA = logins.sites.find((site) => site.key === 'demo-site-a')!;
    const devices = await call(fixture.app, orgAdmin, 'GET', `/api/sites/${siteA.id}/devices`);
    expect((devices.body.devices as { key: string }[]).map((device) => device.key).sort()).toEqual(['ahu', 'grid-meter', 'house-submeter', 'pv-inverter-1', 'pv-inverter-2', 'weather']);
  });

  it('saves energy settings and meter roles', async () => {
    const logins = readLogins();
    const siteA = logins.sites.find((site) => site.key === 'demo-site-a')!;
    const manager = await login(fixture.app, 'site-manager@demo.example.com', passwordOf(logins, 'site_manager'));
    const { status, body } = await call(fixture.app, manager, 'GET', `/api/sites/${siteA.id}/energy-settings`);
    expect(status).toBe(200);
    expect(body.currency).toBe('EUR');
    expect(body.settings.tariffs).toHaveLength(1);
    expect(body.settings.tariffs[0].tariff).toMatchObject({ currency: 'EUR', timeZone: 'Europe/Berlin', import: { kind: 'time-of-use' } });
    expect(body.settings.tariffs[0].tariff.export.pricePerKwh).toBeGreaterThan(0);
    expect(body.settings.tariffs[0].tariff.demand.pricePerKw).toBeGreaterThan(0);
    expect(body.settings.gridEmissionFactorGPerKwh).toBe(250);
    expect(body.settings.virtualMeters.map((meter: { id: string }) => meter.id)).toEqual(['site_consumption']);

    const [gridMeter] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ roles: Record<string, string> }[]>`
      SELECT config->'roles' AS roles FROM devices WHERE site_id = ${siteA.id} AND key = 'grid-meter'`);
    expect(gridMeter!.roles['m203.TotWhExp']).toBe('grid-export');
  });

  it('gives each user the role of its name', async () => {
    const logins = readLogins();
    const siteB = logins.sites.find((site) => site.key === 'demo-site-b')!;
    const expectedRoles: Record<string, string> = { viewer: 'viewer', operator: 'operator', site_manager: 'site_manager', org_admin: 'org_admin', platform_admin: 'platform_admin', developer: 'viewer' };
    for (const entry of logins.logins) {
      const token = await login(fixture.app, entry.email, entry.password);
      const site = await call(fixture.app, token, 'GET', `/api/sites/${siteB.id}`);
      expect(site.status, entry.email).toBe(200);
      expect(site.body.role, entry.email).toBe(expectedRoles[entry.role]);
    }
    const developer = await login(fixture.app, 'developer@demo.example.com', passwordOf(logins, 'developer'));
    const validated = await call(fixture.app, developer, 'GET', '/api/validate-token');
    expect(validated.body.user.developer).toBe(true);
  });

  it('keeps passwords and rows on a second run', async () => {
    const before = readLogins();
    const counts = { users: await countRows('users'), sites: await countRows('sites'), devices: await countRows('devices'), access: await countRows('site_access'), organizations: await countRows('organizations') };

    const { code, stdout } = await runCli(['seed-demo', '--out', outDir], { env });
    expect(code).toBe(0);
    const after = readLogins();
    expect(after.logins).toEqual(before.logins);
    expect(after.sites).toEqual(before.sites);
    expect(stdout).not.toContain('created');
    expect(await countRows('users')).toBe(counts.users);
    expect(await countRows('organizations')).toBe(counts.organizations);
    expect(await countRows('sites')).toBe(counts.sites);
    expect(await countRows('devices')).toBe(counts.devices);
    expect(await countRows('site_access')).toBe(counts.access);
    // Neither edge is paired yet, so both sites get a new code and no second edge node.
    expect(await countRows('edge_nodes')).toBe(2);
    expect(existsSync(join(outDir, 'demo-site-a.pairing-code'))).toBe(true);
  });

  it('recreates a deleted user with its known password', async () => {
    const before = readLogins();
    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`DELETE FROM users WHERE email = 'operator@demo.example.com'`);

    const { code, stdout } = await runCli(['seed-demo', '--out', outDir], { env });
    expect(code).toBe(0);
    expect(stdout).toContain('created user operator@demo.example.com');
    const token = await login(fixture.app, 'operator@demo.example.com', passwordOf(before, 'operator'));
    const siteA = before.sites.find((site) => site.key === 'demo-site-a')!;
    const site = await call(fixture.app, token, 'GET', `/api/sites/${siteA.id}`);
    expect(site.body.role).toBe('operator');
  });

  it('restores missing roles and settings, keeping edited ones', async () => {
    const { sites } = readLogins();
    const siteA = sites.find((site) => site.key === 'demo-site-a')!;
    const siteB = sites.find((site) => site.key === 'demo-site-b')!;
    await inTenantScope(fixture.db.owner, allOrganizations, async (tx) => {
      await tx`UPDATE devices SET config = config #- '{roles,m203.TotWhExp}' WHERE site_id = ${siteB.id} AND key = 'grid-meter'`;
      await tx`UPDATE devices SET config = jsonb_set(config, '{roles,m203.W}', '"consumption"') WHERE site_id = ${siteA.id} AND key = 'grid-meter'`;
      await tx`DELETE FROM site_energy_settings WHERE site_id = ${siteB.id}`;
      await tx`UPDATE site_energy_settings SET settings = settings || '{"gridEmissionFactorGPerKwh": 400}'::jsonb WHERE site_id = ${siteA.id}`;
    });

    const { code, stdout } = await runCli(['seed-demo', '--out', outDir], { env });
    expect(code).toBe(0);
    expect(stdout).toContain('added meter roles m203.TotWhExp to device grid-meter at "Demo Site B"');
    expect(stdout).toContain('saved energy settings of "Demo Site B"');
    expect(stdout).not.toContain('at "Demo Site A"');
    expect(stdout).not.toContain('saved energy settings of "Demo Site A"');
    const rows = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ site_id: string; roles: Record<string, string>; factor: number }[]>`
      SELECT d.site_id, d.config->'roles' AS roles, (e.settings->>'gridEmissionFactorGPerKwh')::int AS factor
      FROM devices d JOIN site_energy_settings e ON e.site_id = d.site_id
      WHERE d.key = 'grid-meter' ORDER BY d.site_id = ${siteA.id} DESC`);
    expect(rows.map((row) => row.site_id)).toEqual([siteA.id, siteB.id]);
    expect(rows[0]!.roles['m203.W']).toBe('consumption');
    expect(rows[0]!.factor).toBe(400);
    expect(rows[1]!.roles['m203.TotWhExp']).toBe('grid-export');
    expect(rows[1]!.factor).toBe(250);
  });

  it('issues no code for a paired site', async () => {
    const siteB = readLogins().sites.find((site) => site.key === 'demo-site-b')!;
    await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx`
      UPDATE edge_nodes SET paired_at = now(), pairing_code_hash = NULL, pairing_code_expires_at = NULL WHERE site_id = ${siteB.id}`);

    const { code, stdout } = await runCli(['seed-demo', '--out', outDir], { env });
    expect(code).toBe(0);
    expect(stdout).toContain('site "Demo Site B"');
    expect(stdout).toContain('already has a paired edge');
    expect(existsSync(join(outDir, 'demo-site-b.pairing-code'))).toBe(false);
    expect(existsSync(join(outDir, 'demo-site-a.pairing-code'))).toBe(true);
  });

  it('writes audit entries as the CLI', async () => {
    const [row] = await inTenantScope(fixture.db.owner, allOrganizations, (tx) => tx<{ actions: string[] }[]>`
      SELECT array_agg(DISTINCT action ORDER BY action) AS actions FROM audit_log WHERE actor_type = 'system' AND actor_id = 'cli'`);
    expect(row!.actions).toEqual(
      expect.arrayContaining(['organization.create', 'site.create', 'device.create', 'device.update', 'edge_node.create', 'energy_settings.update', 'user.create', 'membership.create', 'site_access.grant']),
    );
  });

  it('rejects a missing --out', async () => {
    const { code, stderr } = await runCli(['seed-demo'], { env });
    expect(code).toBe(2);
    expect(stderr).toContain('--out is required');
  });
});
