import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSunspecModel, sunspecModelDir, sunspecModelIds } from '../../src/templates/sunspec/models';

describe('SunSpec models', () => {
  it('ships the common, inverter and meter models', () => {
    expect(sunspecModelIds()).toEqual(expect.arrayContaining([1, 101, 102, 103, 201, 202, 203, 204]));
  });

  it.each(sunspecModelIds())('loads model %i with consecutive offsets', (id) => {
    const model = loadSunspecModel(id);
    expect(model.id).toBe(id);
    let offset = 0;
    for (const point of model.points) {
      expect(point.offset, point.name).toBe(offset);
      expect(point.size, point.name).toBeGreaterThan(0);
      offset += point.size;
    }
    expect(model.fixedSize).toBe(offset);
    expect(model.points.some((point) => point.name === 'ID' || point.name === 'L')).toBe(false);
  });

  it.each(sunspecModelIds())('names existing scale factors in model %i', (id) => {
    const model = loadSunspecModel(id);
    const names = new Set([...model.points, ...(model.repeating?.points ?? [])].map((point) => point.name));
    for (const point of [...model.points, ...(model.repeating?.points ?? [])]) {
      if (typeof point.sf === 'string') expect(names.has(point.sf), `${point.name} -> ${point.sf}`).toBe(true);
    }
  });

  it('describes model 103 as in its JSON', () => {
    const model = loadSunspecModel(103);
    expect(model.name).toBe('inverter_three_phase');
    expect(model.fixedSize).toBe(50);
    expect(model.points[0]).toMatchObject({ name: 'A', type: 'uint16', size: 1, offset: 0, sf: 'A_SF', units: 'A', access: 'R' });
    expect(model.points.find((point) => point.name === 'W')).toMatchObject({ type: 'int16', offset: 12, sf: 'W_SF', units: 'W' });
    expect(model.points.find((point) => point.name === 'WH')).toMatchObject({ type: 'acc32', size: 2, offset: 22, sf: 'WH_SF' });
    expect(model.points.find((point) => point.name === 'St')?.symbols).toContainEqual({ name: 'MPPT', value: 4 });
  });

  it('describes the common model strings', () => {
    const model = loadSunspecModel(1);
    expect(model.fixedSize).toBe(66);
    expect(model.points.find((point) => point.name === 'Mn')).toMatchObject({ type: 'string', size: 16, offset: 0 });
    expect(model.points.find((point) => point.name === 'DA')).toMatchObject({ type: 'uint16', offset: 64, access: 'RW' });
  });

  it('describes the repeating block of model 160', () => {
    const model = loadSunspecModel(160);
    expect(model.fixedSize).toBe(8);
    expect(model.repeating).toMatchObject({ name: 'module', size: 20 });
    expect(model.repeating?.points.find((point) => point.name === 'DCA')).toMatchObject({ sf: 'DCA_SF', offset: 9 });
  });

  it('matches the JSON total size of model 203', () => {
    const json = JSON.parse(readFileSync(`${sunspecModelDir}model_203.json`, 'utf8')) as { group: { points: { size: number }[] } };
    const total = json.group.points.reduce((sum, point) => sum + point.size, 0);
    expect(loadSunspecModel(203).fixedSize).toBe(total - 2);
  });

  it('lists known models for an unknown id', () => {
    expect(() => loadSunspecModel(999)).toThrow(/SunSpec model 999 is not shipped; known models: 1, 101/);
  });
});
