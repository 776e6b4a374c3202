import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HISTORY_ROWS } from '../../src/telemetry/routes';
import { call, createCloudFixture, type CloudFixture } from '../support/cloud-fixture';
import { seedSiteRoles, type SiteRoles } from '../support/site-roles';
import { batchOf, minuteRow, pairEdge, upload } from '../uploads/paired-edge';

let fixture: CloudFixture;
let ctx: SiteRoles;

const T0 = Date.UTC(2026, 10, 3, 10, 0);
const POINT = 'grid-meter.m203.W';
const OTHER_POINT = '=cmd|calc.W';
const BATTERY_POINT = 'battery.W';

beforeAll(async () => {
  fixture = await createCloudFixture('telemetry_history');
  ctx = await seedSiteRoles(fixture);
  const edge = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId);
  const minutes = Array.from({ length: 90 }, (_, index) => minuteRow(T0 + index * 60_000, index));
  const hour: [number, number, number, number, number, number, number, number, number, 0 | 1, number] = [T0, T0 + 3_600_000, 720, 720 * 30, 0, 59, 59, T0 + 3_595_000, 12.5, 1, 1];
  const { status } = await upload(fixture, edge, batchOf({
    rollups: [
      { point: POINT, resolution: '1m', rows: minutes },
      { point: POINT, resolution: '1h', rows: [hour] },
      { point: OTHER_POINT, resolution: '1m', rows: [minuteRow(T0, 7)] },
      { point: BATTERY_POINT, resolution: '1m', rows: [minuteRow(T0, -5)] },
    ],
  }));
  if (status !== 200) throw new Error(`seeding uploads failed with ${status}`);
});

afterAll(async () => {
  await fixture?.close();
});

function historyPath(parameters: Record<string, string | number>, path = '/api/telemetry/historical'): string {
  const query = new URLSearchParams(Object.entries({ site: ctx.siteId, points: POINT, from: T0, to: T0 + 3_600_000, ...parameters }).map(([key, value]): [string, string] => [key, String(value)]));
  return `${path}?${query}`;
}

/** Parses RFC 4180 records without quoted line breaks, which these exports do not contain. */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].filter((match) => match.index! < line.length || match[2] === ',').map((match) => match[1]!.replace(/^"|"$/g, '').replaceAll('""', '"')));
}

describe('telemetry history', () => {
  it('returns 1m buckets with averages', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: '1m', to: T0 + 180_000 }));
    expect(status).toBe(200);
    expect(body.resolution).toBe('1m');
    expect(body.series).toHaveLength(1);
    expect(body.series[0].point).toBe(POINT);
    expect(body.series[0].buckets).toEqual([0, 1, 2].map((index) => ({
      start: T0 + index * 60_000,
      end: T0 + (index + 1) * 60_000,
      count: 12,
      avg: index,
      min: index,
      max: index,
      last: index,
      delta: null,
      estimated: false,
    })));
  });

  it('returns the hourly tier', async () => {
    const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: '1h' }));
    expect(body.series[0].buckets).toEqual([{ start: T0, end: T0 + 3_600_000, count: 720, avg: 30, min: 0, max: 59, last: 59, delta: 12.5, estimated: true }]);
  });

  it('accepts ISO times', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: '1m', from: new Date(T0).toISOString(), to: '2026-11-03T11:02:00+01:00' }));
    expect(status).toBe(200);
    expect(body.series[0].buckets).toHaveLength(2);
  });

  it('picks the resolution for auto', async () => {
    const cases = [
      { rangeMs: 3_600_000, expected: '1m' },
      { rangeMs: 7 * 86_400_000, expected: '15m' },
      { rangeMs: 60 * 86_400_000, expected: '1h' },
      { rangeMs: 400 * 86_400_000, expected: '1d' },
    ];
    for (const { rangeMs, expected } of cases) {
      const { body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: 'auto', to: T0 + rangeMs }));
      expect(body.resolution, `range ${rangeMs} ms`).toBe(expected);
    }
  });

  it('rejects a range beyond the row limit', async () => {
    const to = T0 + (MAX_HISTORY_ROWS + 1) * 60_000;
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: '1m', to }));
    expect(status).toBe(400);
    expect(body.error.parameter).toBe('resolution');
    expect(body.error.message).toContain(String(MAX_HISTORY_ROWS));
  });

  it('rejects bad parameters', async () => {
    const cases: { parameters: Record<string, string | number>; parameter: string }[] = [
      { parameters: { from: 'yesterday' }, parameter: 'from' },
      { parameters: { from: '2026-11-03T10:00:00' }, parameter: 'from' },
      { parameters: { to: T0 - 1 }, parameter: 'to' },
      { parameters: { points: '' }, parameter: 'points' },
      { parameters: { points: Array.from({ length: 101 }, (_, index) => `d.p${index}`).join(',') }, parameter: 'points' },
      { parameters: { resolution: '5m' }, parameter: 'resolution' },
    ];
    for (const { parameters, parameter } of cases) {
      const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath(parameters));
      expect(status, JSON.stringify(parameters)).toBe(400);
      expect(body.error.parameter, JSON.stringify(parameters)).toBe(parameter);
    }
  });

  it('rejects impossible dates', async () => {
    for (const value of ['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2025-02-29T00:00:00+01:00']) {
      const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ from: value }));
      expect(status, value).toBe(400);
      expect(body.error.parameter, value).toBe('from');
      expect(body.error.message, value).toContain(value);
    }
  });

  it('returns an empty series for an unknown point', async () => {
    const { status, body } = await call(fixture.app, ctx.tokens.viewer, 'GET', historyPath({ resolution: '1m', points: `${POINT},nope.x`, to: T0 + 60_000 }));
    expect(status).toBe(200);
    expect(body.series.map((series: { point: string }) => series.point)).toEqual([POINT, 'nope.x']);
    expect(body.series[1].buckets).toEqual([]);
  });

  it('enforces site access', async () => {
    const cases = [
      { token: ctx.tokens.viewer, site: ctx.otherSiteId, status: 404 },
      { token: ctx.tokens.member, site: ctx.siteId, status: 404 },
      { token: ctx.outsiderToken, site: ctx.siteId, status: 404 },
      { token: ctx.tokens.viewer, site: randomUUID(), status: 404 },
      { token: ctx.tokens.org_admin, site: ctx.siteId, status: 200 },
      { token: ctx.tokens.platform_admin, site: ctx.siteId, status: 200 },
    ];
    for (const { token, site, status } of cases) {
      const response = await call(fixture.app, token, 'GET', historyPath({ site, resolution: '1h' }));
      expect(response.status).toBe(status);
    }
    const { body } = await call(fixture.app, ctx.tokens.org_admin, 'GET', historyPath({ resolution: '1h' }));
    expect(body.series[0].buckets).toHaveLength(1);
  });

  it('exports CSV that parses back', async () => {
    const response = await fixture.app.request(historyPath({ resolution: '1m', points: `${POINT},${OTHER_POINT}`, to: T0 + 120_000 }, '/api/telemetry/historical.csv'), {
      headers: { Authorization: `Bearer ${ctx.tokens.viewer}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual(['point', 'resolution', 'start', 'end', 'count', 'avg', 'min', 'max', 'last', 'delta', 'estimated']);
    expect(records.slice(1)).toEqual([
      [`'${OTHER_POINT}`, '1m', new Date(T0).toISOString(), new Date(T0 + 60_000).toISOString(), '12', '7', '7', '7', '7', '', 'false'],
      [POINT, '1m', new Date(T0).toISOString(), new Date(T0 + 60_000).toISOString(), '12', '0', '0', '0', '0', '', 'false'],
      [POINT, '1m', new Date(T0 + 60_000).toISOString(), new Date(T0 + 120_000).toISOString(), '12', '1', '1', '1', '1', '', 'false'],
    ]);
  });

  it('exports negative numbers as numbers', async () => {
    const response = await fixture.app.request(historyPath({ resolution: '1m', points: BATTERY_POINT, to: T0 + 60_000 }, '/api/telemetry/historical.csv'), {
      headers: { Authorization: `Bearer ${ctx.tokens.viewer}` },
    });
    expect(response.status).toBe(200);
    const records = parseCsv(await response.text());
    expect(records.slice(1)).toEqual([[BATTERY_POINT, '1m', new Date(T0).toISOString(), new Date(T0 + 60_000).toISOString(), '12', '-5', '-5', '-5', '-5', '', 'false']]);
  });

  it('hides the CSV of a site without access', async () => {
    const { status } = await call(fixture.app, ctx.outsiderToken, 'GET', historyPath({ resolution: '1m' }, '/api/telemetry/historical.csv'));
    expect(status).toBe(404);
  });
});
