import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';

/*
 * A custom period may be up to 366 local days long. From 2025-10-25 to 2026-10-25 in Europe/Paris is
 * 366 local days that start in summer time (UTC+2) and end in winter time (UTC+1), so they last
 * 366 × 24 + 1 hours. The previous period is the 366 local days before, which last one hour less.
 */

let fixture: CloudFixture;
let ctx: SiteRoles;

const query = 'period=custom&date=2025-10-25&from=2025-10-25&to=2026-10-25';

beforeAll(async () => {
  fixture = await createCloudFixture('energy_custom_dst');
  ctx = await seedSiteRoles(fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('custom period of 366 days across a DST change', () => {
  it('returns the site report', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/energy/sites/${ctx.siteId}/report?${query}`);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.period).toMatchObject({ kind: 'custom', from: '2025-10-25', to: '2026-10-25', hours: 366 * 24 + 1 });
  });

  it('returns a previous period ending at the start', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/energy/sites/${ctx.siteId}/report?${query}`);
    expect(typeof body.period?.start).toBe('number');
    expect(body.previous?.period.end).toBe(body.period?.start);
    expect(body.previous?.period).toMatchObject({ from: '2024-10-24', to: '2025-10-24', hours: 366 * 24 });
  });

  it('returns the CSV export', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.operator, 'GET', `/api/energy/sites/${ctx.siteId}/report.csv?${query}&table=buckets`);
    expect(status, String(JSON.stringify(body)).slice(0, 300)).toBe(200);
  });

  it('names only requested dates when rejecting', async () => {
    // A 367-day period must be rejected with the bounds the caller sent, not those of a derived period.
    const tooLong = 'period=custom&date=2025-10-25&from=2025-10-25&to=2026-10-26';
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', `/api/energy/sites/${ctx.siteId}/report?${tooLong}`);
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('to');
    expect(body.error.message).toBe('custom period from 2025-10-25 to 2026-10-26 spans 367 local days, more than the maximum of 366: split it into shorter periods or pick a year');
  });
});
