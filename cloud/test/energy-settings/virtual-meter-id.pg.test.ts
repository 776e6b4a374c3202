import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { addDevice } from '../energy/energy-seed';

/*
 * A virtual meter id may not contain a '.', and every point id is `device.point`, so a device added
 * later can never take the id of a virtual meter.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

const settingsPath = () => `/api/sites/${ctx.siteId}/energy-settings`;

beforeAll(async () => {
  fixture = await createCloudFixture('energy_virtual_meter_id');
  ctx = await seedSiteRoles(fixture);
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, { key: 'grid', points: [{ key: 'W', address: 0, unit: 'W', role: 'grid' }] });
});

afterAll(async () => {
  await fixture?.close();
});

describe('virtual meter ids', () => {
  it('rejects an id with a dot', async () => {
    const virtualMeters = [{ id: 'spare.W', name: 'Spare estimate', unit: 'W', formula: '{grid.W} * 2' }];
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), { virtualMeters });
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('virtualMeters.0.id');
    expect(body.error.message).toContain('invalid virtual meter id "spare.W"');
    expect(body.error.message).toContain("A '.' is not allowed");
  });

  it('keeps the report evaluating after a new device', async () => {
    const virtualMeters = [
      { id: 'spare', name: 'Spare estimate', unit: 'W', formula: '{grid.W} * 2' },
      { id: 'total', name: 'Total', unit: 'W', formula: 'spare + {grid.W}' },
    ];
    const saved = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), { virtualMeters });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 300)).toBe(200);
    const added = await call(fixture.app, ctx.tokens.site_manager, 'POST', `/api/sites/${ctx.siteId}/devices`, {
      nodeId: null,
      device: { key: 'spare', driver: 'modbus-tcp', connection: { host: '127.0.0.1', unitId: 1 }, points: [{ key: 'W', address: 0, unit: 'W' }] },
    });
    expect(added.status).toBe(201);

    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/energy/sites/${ctx.siteId}/report?period=day&date=2026-03-28`);
    expect(status).toBe(200);
    expect(body.warnings.join(' ')).not.toContain('defined more than once');
    expect(body.virtualMeters.map((meter: { id: string }) => meter.id)).toEqual(['spare', 'total']);
  });
});
