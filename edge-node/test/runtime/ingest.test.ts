import { afterEach, describe, expect, it } from 'vitest';
import { createApiFixture, pastHourStart, requestAsAdmin, type ApiFixture } from '../api/api-fixture';

let fixture: ApiFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function getJson<T>(path: string): Promise<T> {
  const response = await requestAsAdmin(fixture!, path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe('runtime ingest', () => {
  it.each([
    ['a value near the float limit', 1.7e308],
    ['a value below minus the float limit', -1.7e308],
    ['infinity', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
  ])('stores %s as a bad sample', async (_label, value) => {
    fixture = await createApiFixture();
    const t0 = pastHourStart();
    const meter = fixture.device('meter');
    fixture.runtime.ingest(meter, t0, [{ point: 'powerW', value: 100, quality: 'good' }], false);
    fixture.runtime.ingest(meter, t0 + 1000, [{ point: 'powerW', value, quality: 'good' }], false);
    fixture.runtime.ingest(meter, t0 + 2000, [{ point: 'powerW', value: 300, quality: 'good' }], false);
    await fixture.runtime.commit();

    const raw = await getJson<{ rows: Array<{ ts: number; value: unknown; quality: string; reason?: string }> }>(
      `/api/points/meter.powerW/history?from=${t0}&to=${t0 + 3000}`,
    );
    const minute = await getJson<{ rows: Array<{ count: number; mean: number; max: number }> }>(
      `/api/points/meter.powerW/history?resolution=1m&from=${t0}&to=${t0 + 60_000}`,
    );

    expect(raw.rows[1]).toEqual({ ts: t0 + 1000, value: null, quality: 'bad', reason: 'out_of_range' });
    expect(minute.rows).toHaveLength(1);
    expect(minute.rows[0]).toMatchObject({ count: 2, mean: 200, max: 300 });
    expect(fixture.runtime.implausibleValues).toBe(1);
  });

  it('keeps large plausible counter values', async () => {
    fixture = await createApiFixture();
    fixture.runtime.ingest(fixture.device('meter'), Date.now(), [{ point: 'energyWh', value: 9e15, quality: 'good' }], false);
    await fixture.runtime.commit();

    const point = await getJson<{ value: number; quality: string }>('/api/points/meter.energyWh');

    expect(point).toMatchObject({ value: 9e15, quality: 'good' });
    expect(fixture.runtime.implausibleValues).toBe(0);
  });
});
