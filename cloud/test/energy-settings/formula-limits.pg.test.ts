import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { addDevice, storeEnergySettings } from '../energy/energy-seed';

/*
 * The parser, the unit check and the evaluator of virtual meter formulas recurse, so the settings schema
 * limits a formula's length, nesting and operands. A formula beyond them gets a 400 naming the formula.
 * A stored formula beyond them, written by an older hub, makes the stored settings invalid: the pages
 * show the defaults instead of failing.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

const settingsPath = () => `/api/sites/${ctx.siteId}/energy-settings`;
const reportPath = () => `/api/energy/sites/${ctx.siteId}/report?period=day&date=2026-03-28`;

/** Builds a formula of `depth` nested parentheses around one meter, 40 KB for a depth of 20,000. */
function nestedFormula(depth: number): string {
  return `${'('.repeat(depth)}grid.W${')'.repeat(depth)}`;
}

/** Builds a sum of `terms` copies of one meter, 7 characters a term, well inside the 512 KiB body limit. */
function longSum(terms: number): string {
  return Array.from({ length: terms }, () => 'grid.W').join('+');
}

function virtualMeterSettings(formula: string) {
  return { virtualMeters: [{ id: 'deep', name: 'Deep', unit: 'W', formula }] };
}

beforeAll(async () => {
  fixture = await createCloudFixture('energy_formula_limits');
  ctx = await seedSiteRoles(fixture);
  await addDevice(fixture, ctx.tokens.site_manager, ctx.siteId, { key: 'grid', points: [{ key: 'W', address: 0, unit: 'W', role: 'grid' }] });
});

afterAll(async () => {
  await fixture?.close();
});

describe('PUT energy-settings with a large formula', () => {
  const cases = [
    { label: '20,000 nested parentheses', formula: nestedFormula(20_000), message: 'the formula is 40006 characters long, more than the maximum of 2000' },
    { label: '65 nested parentheses', formula: nestedFormula(65), message: 'the formula nests more than 64 levels' },
    { label: '40,000 unary minus signs', formula: `${'-'.repeat(40_000)}grid.W`, message: 'more than the maximum of 2000' },
    { label: '100 unary minus signs', formula: `${'-'.repeat(100)}grid.W`, message: 'the formula nests more than 64 levels' },
    { label: 'a sum of 250 terms', formula: longSum(250), message: 'the formula has 250 operands (meter ids and numbers), more than the maximum of 200' },
    { label: 'a sum of 30,000 terms', formula: longSum(30_000), message: 'more than the maximum of 2000' },
  ];

  for (const { label, formula, message } of cases) {
    it(`rejects ${label}`, async () => {
      const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), virtualMeterSettings(formula));
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(400);
      expect(body.error.parameter).toMatch(/^virtualMeters[.[]0[\].]+formula$/);
      expect(body.error.message).toContain('invalid formula of "deep"');
      expect(body.error.message).toContain(message);
    });
  }

  it('saves a sum of 200 terms', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.site_manager, 'PUT', settingsPath(), virtualMeterSettings(longSum(200)));
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  });
});

describe('stored formula beyond the limits', () => {
  beforeAll(async () => {
    await storeEnergySettings(fixture, ctx.siteId, virtualMeterSettings(nestedFormula(20_000)));
  });

  it('serves the defaults with the reason', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', settingsPath());
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.settings.virtualMeters).toEqual([]);
    expect(body.invalidStoredSettings.issues[0].message).toContain('more than the maximum of 2000');
  });

  it('serves the report', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath());
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.virtualMeters).toEqual([]);
  });

  it('serves the organization view', async () => {
    const path = `/api/energy/organizations/${ctx.organizationId}?period=day&date=2026-03-28`;
    const { status, body } = await call(fixture.app, ctx.tokens.org_admin, 'GET', path);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
  });
});
