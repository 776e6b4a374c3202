import { describe, expect, it } from 'vitest';
import { edgeEventSchema, MAX_CATALOG_POINTS, pointCatalogPayloadSchema } from '../src/index';

const point = { key: 'W', unit: 'W', kind: 'gauge', dataType: 'int16', role: 'pv' };

describe('point catalog payload', () => {
  it('accepts a device with points', () => {
    const parsed = pointCatalogPayloadSchema.parse({ device: 'inverter-1', points: [point, { key: 'WH', name: 'Energy', unit: 'Wh', kind: 'counter', dataType: 'uint32' }] });
    expect(parsed.points).toHaveLength(2);
    expect(parsed.points[0]!.role).toBe('pv');
  });

  it.each([
    ['a device key with a dot', { device: 'inv.1', points: [point] }],
    ['an unknown unit', { device: 'inv', points: [{ ...point, unit: 'furlong' }] }],
    ['an unknown kind', { device: 'inv', points: [{ ...point, kind: 'rate' }] }],
    ['an unknown role', { device: 'inv', points: [{ ...point, role: 'wind' }] }],
    ['a missing unit', { device: 'inv', points: [{ key: 'W', kind: 'gauge', dataType: 'int16' }] }],
    ['an extra field', { device: 'inv', points: [{ ...point, scale: 2 }] }],
    ['a repeated point key', { device: 'inv', points: [point, point] }],
    ['too many points', { device: 'inv', points: Array.from({ length: MAX_CATALOG_POINTS + 1 }, (_, index) => ({ ...point, key: `p${index}` })) }],
  ])('rejects %s', (_name, payload) => {
    expect(pointCatalogPayloadSchema.safeParse(payload).success).toBe(false);
  });

  it('is an edge event kind', () => {
    const event = { id: '0b6c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10', kind: 'point_catalog', at: Date.UTC(2026, 10, 2), payload: { device: 'inv', points: [point] } };
    expect(edgeEventSchema.safeParse(event).success).toBe(true);
  });
});
