import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollupHistoryRow } from '../../src/store/history';
import { createApiFixture, feedHalfHour, pastHourStart, requestAsAdmin, type ApiFixture } from './api-fixture';

let fixture: ApiFixture;
let t0: number;

beforeAll(async () => {
  fixture = await createApiFixture();
  t0 = pastHourStart();
  await feedHalfHour(fixture, t0);
  // A bad reading after the half hour, as the poller writes when the meter goes offline.
  fixture.runtime.ingest(fixture.device('meter'), t0 + 1_800_000, [{ point: 'powerW', value: null, quality: 'bad', reason: 'timeout' }], false);
  // A text register whose value needs CSV quoting.
  fixture.runtime.ingest(fixture.device('meter'), t0, [{ point: 'model', value: 'EM24, "AV5"', quality: 'good' }], false);
  await fixture.runtime.commit();
});

afterAll(async () => {
  await fixture.close();
});

const get = (path: string) => requestAsAdmin(fixture, path);

interface RawRow {
  ts: number;
  value: number | string | null;
  quality: string;
  reason?: string;
}

type RollupRow = RollupHistoryRow;

describe('history parameters', () => {
  const cases: Array<{ name: string; query: string; parameter: string; mentions?: string }> = [
    { name: 'a from that is not a time', query: 'from=yesterday', parameter: 'from', mentions: 'expected epoch milliseconds or ISO 8601 with offset' },
    { name: 'a from without an offset', query: 'from=2026-01-31T12:00:00', parameter: 'from', mentions: '2026-01-31T12:00:00' },
    { name: 'a from that is a bare date', query: 'from=2026-01-31', parameter: 'from' },
    { name: 'a from on February 30', query: 'from=2026-02-30T12:00:00Z', parameter: 'from', mentions: '2026-02-30T12:00:00Z' },
    { name: 'a from at hour 25', query: 'from=2026-01-31T25:00:00Z', parameter: 'from' },
    { name: 'a to that is not a time', query: 'to=12.5', parameter: 'to' },
    { name: 'a from after to', query: 'from=2000&to=1000', parameter: 'from', mentions: 'earlier than to' },
    { name: 'a from equal to to', query: 'from=1000&to=1000', parameter: 'from' },
    { name: 'an unknown resolution', query: 'resolution=5m', parameter: 'resolution', mentions: '"raw"' },
    { name: 'an empty resolution', query: 'resolution=', parameter: 'resolution' },
    { name: 'a limit of 0', query: 'limit=0', parameter: 'limit' },
    { name: 'a limit that is not a number', query: 'limit=all', parameter: 'limit' },
    { name: 'a fractional limit', query: 'limit=2.5', parameter: 'limit' },
    { name: 'a limit over 100000', query: 'limit=100001', parameter: 'limit' },
  ];

  for (const format of ['history', 'history.csv']) {
    for (const { name, query, parameter, mentions } of cases) {
      it(`rejects ${name} on ${format}`, async () => {
        const response = await get(`/api/points/meter.powerW/${format}?${query}`);
        const body = (await response.json()) as { error: { code: string; parameter: string; message: string } };

        expect(response.status).toBe(400);
        expect(body.error.code).toBe('invalid_parameter');
        expect(body.error.parameter).toBe(parameter);
        expect(body.error.message.startsWith(`${parameter}: `)).toBe(true);
        if (mentions !== undefined) expect(body.error.message).toContain(mentions);
      });
    }
  }

  it('accepts ISO times with an offset', async () => {
    const from = new Date(t0).toISOString();
    const to = new Date(t0 + 60_000).toISOString().replace('Z', '+00:00');

    const response = await get(`/api/points/meter.powerW/history?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const body = (await response.json()) as { from: number; to: number; rows: RawRow[] };

    expect(response.status).toBe(200);
    expect(body.from).toBe(t0);
    expect(body.to).toBe(t0 + 60_000);
    expect(body.rows.map((row) => row.value)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('accepts an offset without a colon', async () => {
    const from = new Date(t0 + 3_600_000).toISOString().slice(0, 19) + '+0100';

    const response = await get(`/api/points/meter.powerW/history?from=${encodeURIComponent(from)}&to=${t0 + 20_000}`);
    const body = (await response.json()) as { from: number; rows: RawRow[] };

    expect(response.status).toBe(200);
    expect(body.from).toBe(t0);
    expect(body.rows.map((row) => row.value)).toEqual([0, 1]);
  });

  it('returns 404 for an unknown point', async () => {
    for (const path of ['/api/points/meter.nope/history', '/api/points/ghost.powerW/history.csv', '/api/points/meter/history']) {
      const response = await get(path);
      const body = (await response.json()) as { error: { code: string; message: string } };

      expect(response.status, path).toBe(404);
      expect(body.error.code, path).toBe('point_not_found');
    }
  });
});

describe('history as JSON', () => {
  it('returns raw samples in the range', async () => {
    const response = await get(`/api/points/meter.powerW/history?from=${t0}&to=${t0 + 60_000}`);
    const body = (await response.json()) as { point: string; unit: string; resolution: string; truncated: boolean; rows: RawRow[] };

    expect(response.status).toBe(200);
    expect(body.point).toBe('meter.powerW');
    expect(body.unit).toBe('W');
    expect(body.resolution).toBe('raw');
    expect(body.truncated).toBe(false);
    expect(body.rows).toEqual([0, 1, 2, 3, 4, 5].map((value) => ({ ts: t0 + value * 10_000, value, quality: 'good' })));
  });

  it('returns bad samples with their reason', async () => {
    const response = await get(`/api/points/meter.powerW/history?from=${t0 + 1_790_000}&to=${t0 + 1_800_001}`);
    const body = (await response.json()) as { rows: RawRow[] };

    expect(body.rows).toEqual([
      { ts: t0 + 1_790_000, value: 179, quality: 'good' },
      { ts: t0 + 1_800_000, value: null, quality: 'bad', reason: 'timeout' },
    ]);
  });

  it('stops at the limit and says so', async () => {
    const response = await get(`/api/points/meter.powerW/history?from=${t0}&to=${t0 + 3_600_000}&limit=50`);
    const body = (await response.json()) as { truncated: boolean; rows: RawRow[] };

    expect(body.rows).toHaveLength(50);
    expect(body.rows.at(-1)!.value).toBe(49);
    expect(body.truncated).toBe(true);
  });

  it('returns 1 min rollups', async () => {
    const response = await get(`/api/points/meter.powerW/history?from=${t0}&to=${t0 + 1_800_000}&resolution=1m`);
    const body = (await response.json()) as { resolution: string; rows: RollupRow[] };

    expect(response.status).toBe(200);
    expect(body.resolution).toBe('1m');
    expect(body.rows).toHaveLength(30);
    body.rows.forEach((row, minute) => {
      expect(row).toMatchObject({
        start: t0 + minute * 60_000,
        end: t0 + (minute + 1) * 60_000,
        count: 6,
        mean: minute * 6 + 2.5,
        min: minute * 6,
        max: minute * 6 + 5,
        last: minute * 6 + 5,
        open: false,
      });
    });
  });

  it('returns counter deltas in rollups', async () => {
    const response = await get(`/api/points/meter.energyWh/history?from=${t0 + 60_000}&to=${t0 + 1_740_000}&resolution=1m`);
    const body = (await response.json()) as { rows: RollupRow[] };

    expect(body.rows).toHaveLength(28);
    for (const row of body.rows) {
      expect(row.delta).toBeCloseTo(60, 6);
      expect(row.estimated).toBe(false);
    }
  });

  it('returns 15 min and 1 h rollups', async () => {
    const quarter = (await (await get(`/api/points/meter.powerW/history?from=${t0}&to=${t0 + 3_600_000}&resolution=15m`)).json()) as { rows: RollupRow[] };
    const hour = (await (await get(`/api/points/pv.acPowerW/history?from=${t0}&to=${t0 + 3_600_000}&resolution=1h`)).json()) as { rows: RollupRow[] };

    expect(quarter.rows.map((row) => [row.start - t0, row.count, row.min, row.max])).toEqual([
      [0, 90, 0, 89],
      [900_000, 90, 90, 179],
    ]);
    expect(hour.rows).toHaveLength(1);
    expect(hour.rows[0]).toMatchObject({ start: t0, end: t0 + 3_600_000, count: 180, mean: 2000, min: 2000, max: 2000 });
  });

  it('returns the open day', async () => {
    const dayStart = Math.floor(t0 / 86_400_000) * 86_400_000;

    const response = await get(`/api/points/pv.acPowerW/history?from=${dayStart}&to=${dayStart + 86_400_000}&resolution=1d`);
    const body = (await response.json()) as { rows: RollupRow[] };

    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ start: dayStart, end: dayStart + 86_400_000, count: 180, mean: 2000 });
  });

  it('defaults to the last hour', async () => {
    const response = await get('/api/points/meter.powerW/history');
    const body = (await response.json()) as { from: number; to: number; rows: RawRow[] };

    expect(response.status).toBe(200);
    expect(body.to - body.from).toBe(3_600_000);
    expect(Math.abs(body.to - Date.now())).toBeLessThan(10_000);
    // The fed half hour lies three hours back.
    expect(body.rows).toEqual([]);
  });
});

describe('history as CSV', () => {
  it('returns raw samples with a header', async () => {
    const response = await get(`/api/points/meter.powerW/history.csv?from=${t0 + 1_780_000}&to=${t0 + 1_800_001}`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="meter.powerW-raw.csv"');
    expect(text.split('\n')).toEqual([
      'time,value,quality,reason',
      `${new Date(t0 + 1_780_000).toISOString()},178,good,`,
      `${new Date(t0 + 1_790_000).toISOString()},179,good,`,
      `${new Date(t0 + 1_800_000).toISOString()},,bad,timeout`,
      '',
    ]);
  });

  it('quotes text values', async () => {
    const response = await get(`/api/points/meter.model/history.csv?from=${t0}&to=${t0 + 1}`);

    expect((await response.text()).split('\n')[1]).toBe(`${new Date(t0).toISOString()},"EM24, ""AV5""",good,`);
  });

  it('returns rollups with a header', async () => {
    const response = await get(`/api/points/meter.powerW/history.csv?from=${t0}&to=${t0 + 120_000}&resolution=1m`);
    const lines = (await response.text()).trimEnd().split('\n');

    expect(response.headers.get('content-disposition')).toBe('attachment; filename="meter.powerW-1m.csv"');
    expect(lines[0]).toBe('start,end,count,mean,min,max,last,delta,estimated,revision,open');
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['false', 'false']);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 7))).toEqual([
      [new Date(t0).toISOString(), new Date(t0 + 60_000).toISOString(), '6', '2.5', '0', '5', '5'],
      [new Date(t0 + 60_000).toISOString(), new Date(t0 + 120_000).toISOString(), '6', '8.5', '6', '11', '11'],
    ]);
  });

  it('has one row per JSON row', async () => {
    const query = `from=${t0}&to=${t0 + 1_800_000}&resolution=1m`;

    const json = (await (await get(`/api/points/meter.energyWh/history?${query}`)).json()) as { rows: RollupRow[] };
    const csv = (await (await get(`/api/points/meter.energyWh/history.csv?${query}`)).text()).trimEnd().split('\n');

    expect(csv).toHaveLength(json.rows.length + 1);
    csv.slice(1).forEach((line, index) => {
      const cells = line.split(',');
      const row = json.rows[index]!;
      expect(cells[0]).toBe(new Date(row.start).toISOString());
      expect(cells[7]).toBe(row.delta === null ? '' : String(row.delta));
      expect(cells[8]).toBe(String(row.estimated));
    });
  });
});
