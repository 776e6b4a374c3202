import { modbusPointSchema, type ModbusPoint } from '@simtestlab/sync';
import { describe, expect, it } from 'vitest';
import { planBlocks } from '../../../src/drivers/modbus/block-plan';

function point(key: string, address: number, fields: Record<string, unknown> = {}): ModbusPoint {
  return modbusPointSchema.parse({ key, address, dataType: 'uint16', ...fields });
}

function spans(blocks: ReturnType<typeof planBlocks>): [string, number, number][] {
  return blocks.map((block) => [block.table, block.address, block.count]);
}

describe('planBlocks', () => {
  it('coalesces contiguous points into one block', () => {
    const points = [point('a', 0), point('b', 1, { dataType: 'float32' }), point('c', 3)];
    expect(spans(planBlocks(points, { maxBlockRegisters: 125 }))).toEqual([['holding-register', 0, 4]]);
  });

  it('splits at an undeclared gap', () => {
    const points = [point('a', 0), point('b', 1), point('c', 3)];
    expect(spans(planBlocks(points, { maxBlockRegisters: 125 }))).toEqual([
      ['holding-register', 0, 2],
      ['holding-register', 3, 1],
    ]);
  });

  it('reads across declared fillers but trims them at the ends', () => {
    const points = [point('a', 2), point('b', 5)];
    const fillers = [{ table: 'holding-register' as const, address: 0, count: 8 }];
    expect(spans(planBlocks(points, { maxBlockRegisters: 125, fillers }))).toEqual([['holding-register', 2, 4]]);
  });

  it('keeps tables apart', () => {
    const points = [point('a', 0), point('b', 1, { table: 'input-register' }), point('c', 0, { table: 'coil', dataType: 'bool' })];
    expect(spans(planBlocks(points, { maxBlockRegisters: 125 })).sort()).toEqual([
      ['coil', 0, 1],
      ['holding-register', 0, 1],
      ['input-register', 1, 1],
    ]);
  });

  it('respects maxBlockRegisters without cutting a point', () => {
    const points = Array.from({ length: 10 }, (_, i) => point(`p${i}`, i * 2, { dataType: 'float32' }));
    const blocks = planBlocks(points, { maxBlockRegisters: 5 });
    expect(spans(blocks)).toEqual([
      ['holding-register', 0, 4],
      ['holding-register', 4, 4],
      ['holding-register', 8, 4],
      ['holding-register', 12, 4],
      ['holding-register', 16, 4],
    ]);
    expect(blocks.flatMap((block) => block.points.map((p) => p.key))).toEqual(points.map((p) => p.key));
  });

  it('splits 300 registers into blocks of at most 125', () => {
    const points = Array.from({ length: 300 }, (_, i) => point(`p${i}`, 1000 + i));
    const blocks = planBlocks(points, { maxBlockRegisters: 125 });
    expect(blocks.map((block) => block.count)).toEqual([125, 125, 50]);
  });

  it('keeps a value in the same block as its scale factor', () => {
    // Registers 0..9: values v0..v7 scaled by sf at 8; w at 9. A cut at 5 would separate them.
    const points = [
      ...Array.from({ length: 8 }, (_, i) => point(`v${i}`, i, { scaleFactor: 'sf' })),
      point('sf', 8, { dataType: 'int16' }),
      point('w', 9),
      point('x', 10),
      point('y', 11),
    ];
    const byKey = new Map(points.map((p) => [p.key, p]));
    const blocks = planBlocks(points, { maxBlockRegisters: 10 }, (p) => (p.scaleFactor ? byKey.get(p.scaleFactor) : undefined));
    expect(spans(blocks)).toEqual([
      ['holding-register', 0, 10],
      ['holding-register', 10, 2],
    ]);

    const tight = planBlocks(points, { maxBlockRegisters: 6 }, (p) => (p.scaleFactor ? byKey.get(p.scaleFactor) : undefined));
    // v0..v2 cannot share a 6-register block with sf at 8, but v3..v7 can: the first cut moves to 3.
    expect(spans(tight)).toEqual([
      ['holding-register', 0, 3],
      ['holding-register', 3, 6],
      ['holding-register', 9, 3],
    ]);
  });

  it('moves the cut before a value to keep it with its factor', () => {
    const points = [
      point('a', 0),
      point('b', 1),
      point('c', 2),
      point('v', 3, { scaleFactor: 'sf' }),
      point('sf', 4, { dataType: 'int16' }),
    ];
    const byKey = new Map(points.map((p) => [p.key, p]));
    const blocks = planBlocks(points, { maxBlockRegisters: 4 }, (p) => (p.scaleFactor ? byKey.get(p.scaleFactor) : undefined));
    expect(spans(blocks)).toEqual([
      ['holding-register', 0, 3],
      ['holding-register', 3, 2],
    ]);
  });

  it('gives an oversized string a block of its own', () => {
    const points = [point('s', 0, { dataType: 'string', length: 16 }), point('n', 16)];
    expect(spans(planBlocks(points, { maxBlockRegisters: 8 }))).toEqual([
      ['holding-register', 0, 16],
      ['holding-register', 16, 1],
    ]);
  });
});
