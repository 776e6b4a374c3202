import { energyReportSchema } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnergySite, energySiteConfig, type EnergySite } from './support/energy-site';

/* Custom periods of `GET /api/energy/report` around the 366-day maximum. */

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const devices = [
  {
    key: 'grid',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    points: [{ key: 'importWh', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'grid-import' }],
  },
];

describe('energy report custom periods', () => {
  it('accepts 366 days after a DST change', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'Europe/Paris' }));

    // 366 local days is the documented maximum. The comparison period before it crosses the spring change.
    const response = await site.get('/api/energy/report?period=custom&from=2026-03-30&to=2027-03-30');
    const body = (await response.json()) as unknown;

    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(energyReportSchema.parse(body).period.hours).toBe(366 * 24);
  });

  it('names the dates of a too long period', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'Europe/Paris' }));

    const response = await site.get('/api/energy/report?period=custom&from=2026-03-30&to=2027-03-31');
    const body = (await response.json()) as { error: { parameter?: string; message: string } };

    expect(response.status).toBe(400);
    expect(body.error.parameter).toBe('to');
    expect(body.error.message).toContain('custom period from 2026-03-30 to 2027-03-31 spans 367 local days');
  });
});
