import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Seed } from '../support/cloud-fixture';
import { asOwner, asRuntime, createShapeHarness, pairTestEdge, syncShape, type ShapeClient, type ShapeHarness, type TestEdge } from '../shapes/shape-harness';

let harness: ShapeHarness;
let seed: Seed;
let organizationId: string;
let siteId: string;
let otherSiteId: string;
let edge: TestEdge;
let otherEdge: TestEdge;
const clients: ShapeClient[] = [];

function track(client: ShapeClient): ShapeClient {
  clients.push(client);
  return client;
}

/** Saves settings for a site as the API's transaction does, in the organization's scope. */
function saveSettings(site: string, settings: Record<string, unknown>) {
  return asRuntime(harness.fixture, organizationId, (tx) => tx`
    INSERT INTO site_energy_settings (site_id, organization_id, settings) VALUES (${site}, ${organizationId}, ${tx.json(settings as never)})
    ON CONFLICT (site_id) DO UPDATE SET settings = excluded.settings`);
}

function setCurrency(currency: string) {
  return asRuntime(harness.fixture, organizationId, (tx) => tx`UPDATE organizations SET currency = ${currency} WHERE id = ${organizationId}`);
}

function loggedChanges(site: string) {
  return asOwner(harness.fixture, (tx) => tx<{ operation: string; site_id: string; value: Record<string, string> }[]>`
    SELECT operation, site_id, value FROM change_log WHERE shape = 'energy_settings' AND site_id = ${site} ORDER BY id`);
}

beforeAll(async () => {
  harness = await createShapeHarness('energy_settings_shape', { shapeLiveHoldMs: 800 });
  seed = new Seed(harness.fixture);
  organizationId = await seed.organization('Utility');
  siteId = await seed.site(organizationId, 'Plant');
  otherSiteId = await seed.site(organizationId, 'Depot');
  edge = await pairTestEdge(harness.fixture, siteId);
  otherEdge = await pairTestEdge(harness.fixture, otherSiteId);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await harness?.close();
});

describe('energy_settings shape', () => {
  it('declares the columns with currency', async () => {
    const response = await fetch(`${harness.baseUrl}/api/edge/shapes/energy_settings?offset=-1`, { headers: { Authorization: `Bearer ${await edge.assertion()}` } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers.get('electric-schema')!)).toEqual({
      site_id: { type: 'uuid', pk_index: 0, not_null: true },
      organization_id: { type: 'uuid', not_null: true },
      currency: { type: 'text', not_null: true },
      settings: { type: 'jsonb', not_null: true },
    });
    expect(await response.json()).toEqual([{ headers: { control: 'up-to-date' } }]);
  });

  it("delivers the site's row with the currency", async () => {
    const client = track(syncShape(harness, edge, 'energy_settings'));
    await client.waitFor(() => client.upToDates > 0);

    await saveSettings(siteId, { gridEmissionFactorGPerKwh: 250 });
    await client.waitFor(() => client.rows.has(siteId));
    expect(client.rows.get(siteId)).toEqual({ site_id: siteId, organization_id: organizationId, currency: 'EUR', settings: { gridEmissionFactorGPerKwh: 250 } });
  });

  it('serves a saved row in the snapshot', async () => {
    const client = track(syncShape(harness, edge, 'energy_settings'));
    await client.waitFor(() => client.upToDates > 0);
    expect(client.rows.get(siteId)?.currency).toBe('EUR');
    expect(client.rows.size).toBe(1);
  });

  it('keeps the row out of another site', async () => {
    const client = track(syncShape(harness, otherEdge, 'energy_settings'));
    await client.waitFor(() => client.upToDates > 0);
    await saveSettings(siteId, { gridEmissionFactorGPerKwh: 260 });
    await saveSettings(otherSiteId, { gridEmissionFactorGPerKwh: 100 });
    await client.waitFor(() => client.rows.has(otherSiteId));

    expect([...client.rows.keys()]).toEqual([otherSiteId]);
    expect((await loggedChanges(otherSiteId)).map((change) => change.value.site_id)).toEqual([otherSiteId]);
    expect((await loggedChanges(siteId)).every((change) => change.value.site_id === siteId)).toBe(true);
  });

  it('sends the rows again when the currency changes', async () => {
    const client = track(syncShape(harness, edge, 'energy_settings'));
    await client.waitFor(() => client.rows.get(siteId)?.currency === 'EUR');
    const loggedBefore = (await loggedChanges(otherSiteId)).length;

    await setCurrency('CHF');
    await client.waitFor(() => client.rows.get(siteId)?.currency === 'CHF');
    expect(client.rows.get(siteId)!.settings).toEqual({ gridEmissionFactorGPerKwh: 260 });
    const otherChanges = await loggedChanges(otherSiteId);
    expect(otherChanges).toHaveLength(loggedBefore + 1);
    expect(otherChanges.at(-1)).toMatchObject({ operation: 'update', value: { currency: 'CHF' } });
  });

  it('logs nothing when the currency stays', async () => {
    const before = (await loggedChanges(siteId)).length;
    await asRuntime(harness.fixture, organizationId, (tx) => tx`UPDATE organizations SET name = 'Utility Ltd', currency = 'CHF' WHERE id = ${organizationId}`);
    expect(await loggedChanges(siteId)).toHaveLength(before);
  });

  it('sends a tombstone when the settings are deleted', async () => {
    const client = track(syncShape(harness, edge, 'energy_settings'));
    await client.waitFor(() => client.rows.has(siteId));

    await asRuntime(harness.fixture, organizationId, (tx) => tx`DELETE FROM site_energy_settings WHERE site_id = ${siteId} AND organization_id = ${organizationId}`);
    await client.waitFor(() => !client.rows.has(siteId));
    expect((client.changes.at(-1) as { headers: { operation: string } }).headers.operation).toBe('delete');
  });

  it("keeps another organization's edge out", async () => {
    const rival = await seed.organization('Rival');
    const rivalSite = await seed.site(rival, 'Rival plant');
    const rivalEdge = await pairTestEdge(harness.fixture, rivalSite);
    await saveSettings(otherSiteId, { gridEmissionFactorGPerKwh: 120 });

    const client = track(syncShape(harness, rivalEdge, 'energy_settings'));
    await client.waitFor(() => client.upToDates > 0);
    expect(client.rows.size).toBe(0);
  });
});
