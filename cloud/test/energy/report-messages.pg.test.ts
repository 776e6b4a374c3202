import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';

/* Every 4xx of the report routes names the bad value and the fix, and a custom period needs no `date`. */

let fixture: CloudFixture;
let ctx: SiteRoles;

const reportPath = (query: string) => `/api/energy/sites/${ctx.siteId}/report?${query}`;

beforeAll(async () => {
  fixture = await createCloudFixture('energy_report_messages');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('energy report messages', () => {
  it('names a report date before year 1000', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath('period=year&date=0050-06-01'));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('date');
    expect(body.error.message).toContain('date 0050-06-01 is out of range: use a year from 1000 to 9999');
  });

  it('names a report date after year 9999', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath('period=day&date=10000-01-01'));
    expect(status).toBe(400);
    expect(body.error.message).toContain('invalid date "10000-01-01"');
    expect(body.error.message).toContain('year from 1000 to 9999');
  });

  it('takes a custom period without date', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath('period=custom&from=2026-03-01&to=2026-03-07'));
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.period).toMatchObject({ kind: 'custom', from: '2026-03-01', to: '2026-03-07' });
  });

  it('takes a custom CSV export without date', async () => {
    const { status } = await call(fixture.app, ctx.tokens.operator, 'GET', `/api/energy/sites/${ctx.siteId}/report.csv?period=custom&from=2026-03-01&to=2026-03-07&table=buckets`);
    expect(status).toBe(200);
  });

  it('asks for the date of a day period', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath('period=day'));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('date');
    expect(body.error.message).toContain('missing date: a day period needs date as YYYY-MM-DD');
  });

  it('blames a resolution finer than the rollups', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', reportPath('period=year&date=2026-06-01&resolution=15m'));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('resolution');
    expect(body.error.message).toMatch(/^resolution 15m is finer than the/);
  });
});
