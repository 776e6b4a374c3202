import { describe, expect, it } from 'vitest';
import {
  formatPointsQuery,
  groupByUnit,
  isChartable,
  joinBackfill,
  parsePointsQuery,
  parseWindowQuery,
  searchPoints,
} from '../../../../src/components/site/live-selection';
import { makeDevice, makePoint } from './site-fixture';

describe('parseWindowQuery', () => {
  it.each([
    [undefined, 15],
    ['5', 5],
    ['60', 60],
    ['7', 15],
    ['abc', 15],
    [['60', '5'], 60],
  ] as const)('%j gives %d minutes', (value, minutes) => {
    expect(parseWindowQuery(value as string | string[] | undefined)).toBe(minutes);
  });
});

describe('points query', () => {
  it('reads ids separated by commas', () => {
    expect(parsePointsQuery('a.W,b.V')).toEqual(['a.W', 'b.V']);
  });

  it('drops blanks and repeats', () => {
    expect(parsePointsQuery(' a.W,,a.W , b.V,')).toEqual(['a.W', 'b.V']);
  });

  it('reads a missing parameter as no points', () => {
    expect(parsePointsQuery(undefined)).toEqual([]);
  });

  it('joins repeated parameters', () => {
    expect(parsePointsQuery(['a.W', 'b.V'])).toEqual(['a.W', 'b.V']);
  });

  it('writes a selection back the way it reads it', () => {
    expect(parsePointsQuery(formatPointsQuery(['a.W', 'b.V']))).toEqual(['a.W', 'b.V']);
  });

  it('removes the parameter for an empty selection', () => {
    expect(formatPointsQuery([])).toBeUndefined();
  });
});

describe('searchPoints', () => {
  const devices = [makeDevice('pv-1', { name: 'Roof inverter' }), makeDevice('meter', { name: 'Grid meter' })];
  const points = [makePoint('pv-1', 'm103.W', { name: 'AC power' }), makePoint('meter', 'm203.W', { name: 'AC power' }), makePoint('meter', 'm203.Hz', { name: 'Frequency', unit: 'Hz' })];

  it('matches every point for an empty search', () => {
    expect(searchPoints(points, devices, '  ')).toHaveLength(3);
  });

  it('matches the device name', () => {
    expect(searchPoints(points, devices, 'roof').map((point) => point.id)).toEqual(['pv-1.m103.W']);
  });

  it('needs every word, in any field, ignoring case', () => {
    expect(searchPoints(points, devices, 'ac GRID').map((point) => point.id)).toEqual(['meter.m203.W']);
  });

  it('matches the point id', () => {
    expect(searchPoints(points, devices, 'm203.hz').map((point) => point.id)).toEqual(['meter.m203.Hz']);
  });
});

describe('groupByUnit', () => {
  it('keeps the order in which units first appear', () => {
    const groups = groupByUnit([makePoint('a', 'W'), makePoint('a', 'Hz', { unit: 'Hz' }), makePoint('b', 'W')]);

    expect(groups.map((group) => group.unit)).toEqual(['W', 'Hz']);
    expect(groups[0]!.points.map((point) => point.id)).toEqual(['a.W', 'b.W']);
  });
});

describe('isChartable', () => {
  it('leaves out text points', () => {
    expect(isChartable(makePoint('a', 'serial', { dataType: 'string' }))).toBe(false);
    expect(isChartable(makePoint('a', 'on', { dataType: 'bool' }))).toBe(true);
  });
});

describe('joinBackfill', () => {
  it('keeps history only before the first live sample', () => {
    const joined = joinBackfill(
      [
        { ts: 1, value: 1 },
        { ts: 2, value: null },
        { ts: 3, value: 3 },
      ],
      [{ ts: 3, value: 30 }],
    );

    expect(joined).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: null },
      { x: 3, y: 30 },
    ]);
  });

  it('uses all history while nothing arrived live', () => {
    expect(joinBackfill([{ ts: 1, value: 1 }], [])).toEqual([{ x: 1, y: 1 }]);
  });
});
