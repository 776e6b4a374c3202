import { energyReportSchema, type EnergyReport } from '@simtestlab/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnergySite, energySiteConfig, feedReadings, readingsEvery, type EnergySite } from './support/energy-site';

/**
 * Counter energy on the edge: in `GET /api/energy/report`, which recomputes the growth from each rollup
 * row's last value, and in the counter deltas the store keeps. Both follow `counterStep`, so they agree.
 */

let site: EnergySite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Local midnight of 2026-01-14 in a UTC site. */
const DAY_START = Date.UTC(2026, 0, 14);
const FEED_FROM = DAY_START - 3 * HOUR_MS;
const FEED_TO = DAY_START + 25 * HOUR_MS;
const UINT32_RANGE = 2 ** 32;

const devices = [
  {
    key: 'house',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15031 },
    points: [{ key: 'energyWh', address: 0, unit: 'Wh', dataType: 'uint32', kind: 'counter', role: 'consumption' }],
  },
  {
    key: 'charger',
    driver: 'modbus-tcp',
    pollIntervalMs: 60_000,
    connection: { host: '127.0.0.1', port: 15032 },
    points: [{ key: 'energyKwh', address: 0, unit: 'kWh', dataType: 'float32', kind: 'counter', role: 'ev' }],
  },
];

async function dayReport(target: EnergySite): Promise<EnergyReport> {
  const response = await target.get('/api/energy/report?period=day&date=2026-01-14');
  const body = (await response.json()) as unknown;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return energyReportSchema.parse(body);
}

/** A kWh counter at 5000 kWh at midnight growing 1 kWh per hour: the day's energy is 24,000 Wh. */
const growingKwh = (ts: number): number => 5000 + (ts - DAY_START) / HOUR_MS;

/**
 * Returns the counter value in kWh at `ts`. The load stops from 10:14 to 10:29, and the 10:29 reading
 * (the last of its quarter hour) comes back 0.0005 kWh below the 10:14 one, about one float32 step
 * (0.00049 kWh) at 5000 kWh. The day loses that quarter hour of growth, so its energy is 24,000 - 250 Wh.
 */
function pausedWithNoise(ts: number): number {
  const pauseFrom = DAY_START + 10 * HOUR_MS + 14 * MINUTE_MS;
  const lastOfPause = pauseFrom + 15 * MINUTE_MS;
  if (ts < pauseFrom) return growingKwh(ts);
  if (ts < lastOfPause) return growingKwh(pauseFrom);
  if (ts === lastOfPause) return growingKwh(pauseFrom) - 0.0005;
  return growingKwh(ts) - 0.25;
}

describe('counter energy on the edge', () => {
  it('books a uint32 rollover', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    // 1000 Wh per hour from 2^32 - 12,000 Wh at midnight, so the register wraps to 0 at 12:00.
    const wrapped = (ts: number): number => {
      const value = UINT32_RANGE - 12_000 + ((ts - DAY_START) / HOUR_MS) * 1000;
      return value >= UINT32_RANGE ? value - UINT32_RANGE : value;
    };
    await feedReadings(site, 'house', { energyWh: readingsEvery(FEED_FROM, FEED_TO, MINUTE_MS, wrapped) });

    const report = await dayReport(site);

    expect(report.totals.consumptionWh).toBeCloseTo(24_000, 3);
  });

  it('stores the rollover growth', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    const wrapped = (ts: number): number => (UINT32_RANGE - 12_000 + ((ts - DAY_START) / HOUR_MS) * 1000) % UINT32_RANGE;
    await feedReadings(site, 'house', { energyWh: readingsEvery(FEED_FROM, FEED_TO, MINUTE_MS, wrapped) });

    const stored = site.runtime.db
      .prepare('SELECT SUM(delta) AS wh FROM rollup_1h WHERE point_id = ? AND bucket_start >= ? AND bucket_start < ?')
      .get(site.runtime.registry.get('house.energyWh')!.id, DAY_START, DAY_START + 24 * HOUR_MS) as { wh: number };

    expect(stored.wh).toBeCloseTo(24_000, 6);
  });

  it('ignores a zero reading', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    const zeroAt = DAY_START + 10 * HOUR_MS + 14 * MINUTE_MS;
    await feedReadings(site, 'charger', { energyKwh: readingsEvery(FEED_FROM, FEED_TO, MINUTE_MS, (ts) => (ts === zeroAt ? 0 : growingKwh(ts))) });

    const report = await dayReport(site);

    expect(report.meters.find((meter) => meter.id === 'charger.energyKwh')!.energyWh).toBeCloseTo(24_000, 3);
    expect(report.totals.evWh).toBeCloseTo(24_000, 3);
  });

  it('ignores a float noise drop', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    await feedReadings(site, 'charger', { energyKwh: readingsEvery(FEED_FROM, FEED_TO, MINUTE_MS, pausedWithNoise) });

    const report = await dayReport(site);
    const charger = report.meters.find((meter) => meter.id === 'charger.energyKwh')!;

    expect(charger.resets).toBe(0);
    expect(charger.energyWh).toBeCloseTo(23_750, 0);
  });

  it('stores no delta for float noise', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    await feedReadings(site, 'charger', { energyKwh: readingsEvery(FEED_FROM, FEED_TO, MINUTE_MS, pausedWithNoise) });

    // The hourly rollups' counter deltas feed the edge's energy of today and the site summary.
    const stored = site.runtime.db
      .prepare('SELECT SUM(delta) AS kwh FROM rollup_1h WHERE bucket_start >= ? AND bucket_start < ?')
      .get(DAY_START, DAY_START + 24 * HOUR_MS) as { kwh: number };

    expect(stored.kwh).toBeCloseTo(23.75, 3);
  });

  it('warns about an outage at day end', async () => {
    site = await createEnergySite(energySiteConfig({ devices, timeZone: 'UTC' }));
    // No readings from 22:30 to 01:30 the next day, so the 14th misses its last 90 minutes.
    const outageFrom = DAY_START + 22.5 * HOUR_MS;
    const outageTo = DAY_START + 25.5 * HOUR_MS;
    const readings = readingsEvery(FEED_FROM, DAY_START + 27 * HOUR_MS, MINUTE_MS, growingKwh).filter(({ ts }) => ts < outageFrom || ts >= outageTo);
    await feedReadings(site, 'charger', { energyKwh: readings });

    const report = await dayReport(site);
    const charger = report.meters.find((meter) => meter.id === 'charger.energyKwh')!;

    expect(charger.coverage).toBeLessThan(0.95);
    expect(report.warnings.some((warning) => warning.includes('charger.energyKwh') && warning.includes('covers'))).toBe(true);
  });
});
