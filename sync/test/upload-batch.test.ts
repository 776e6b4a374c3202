import { describe, expect, it } from 'vitest';
import { isRollupRow, rollupRowSchema, uploadBatchSchema, type RollupRow } from '../src/index';

const start = Date.UTC(2026, 10, 2, 8, 0);
const validRow: RollupRow = [start, start + 60_000, 12, 60.5, 4, 6, 5.5, start + 55_000, null, 0, 3];

/** Rows that differ from `validRow` in one field each, valid or not. */
const variants: [string, unknown][] = [
  ['a valid row', validRow],
  ['nulls where allowed', [start, start + 60_000, 0, null, null, null, null, null, null, 1, 1]],
  ['a counter delta', [start, start + 60_000, 12, 1, 1, 1, 1, start, 0.25, 1, 1]],
  ['a start before 2000', [Date.UTC(1999, 11, 31), ...validRow.slice(1)]],
  ['a start after 2100', [Date.UTC(2100, 0, 2), ...validRow.slice(1)]],
  ['a fractional start', [start + 0.5, ...validRow.slice(1)]],
  ['a start as a string', [String(start), ...validRow.slice(1)]],
  ['a null end', [start, null, ...validRow.slice(2)]],
  ['a negative count', [start, start + 60_000, -1, ...validRow.slice(3)]],
  ['a fractional count', [start, start + 60_000, 1.5, ...validRow.slice(3)]],
  ['a text sum', [start, start + 60_000, 12, '60', ...validRow.slice(4)]],
  ['a boolean min', [...validRow.slice(0, 4), true, ...validRow.slice(5)]],
  ['a lastTs before 2000', [...validRow.slice(0, 7), 946_684_799_999, ...validRow.slice(8)]],
  ['estimated 2', [...validRow.slice(0, 9), 2, validRow[10]]],
  ['estimated true', [...validRow.slice(0, 9), true, validRow[10]]],
  ['revision 0', [...validRow.slice(0, 10), 0]],
  ['a fractional revision', [...validRow.slice(0, 10), 1.5]],
  ['ten fields', validRow.slice(0, 10)],
  ['twelve fields', [...validRow, 1]],
  ['an object', { start }],
  ['null', null],
];

describe('rollup rows', () => {
  it.each(variants)('isRollupRow agrees with rollupRowSchema on %s', (_name, row) => {
    expect(isRollupRow(row)).toBe(rollupRowSchema.safeParse(row).success);
  });

  it('names the series, row and field of an invalid row in a batch', () => {
    const batch = {
      batchId: '0b6c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10',
      sentAt: start,
      backlog: { rollups: 0, events: 0, oldestUnsentAt: null },
      events: [],
      rollups: [
        { point: 'meter.power', resolution: '1m', rows: [validRow] },
        { point: 'meter.energy', resolution: '1m', rows: [validRow, [...validRow.slice(0, 10), 0]] },
      ],
    };
    const parsed = uploadBatchSchema.safeParse(batch);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path)).toEqual([['rollups', 1, 'rows', 1, 10]]);
  });

  it('rejects a series without rows', () => {
    const parsed = uploadBatchSchema.safeParse({
      batchId: '0b6c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10',
      sentAt: start,
      backlog: { rollups: 0, events: 0, oldestUnsentAt: null },
      rollups: [{ point: 'meter.power', resolution: '1m', rows: [] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe('expected a non-empty array of rollup rows');
  });

  it('accepts a valid batch and keeps its rows', () => {
    const parsed = uploadBatchSchema.parse({
      batchId: '0b6c2f59-8d1e-4c55-9d3a-2f1f5c7b9a10',
      sentAt: start,
      backlog: { rollups: 0, events: 0, oldestUnsentAt: null },
      rollups: [{ point: 'meter.power', resolution: '1m', rows: [validRow] }],
    });
    expect(parsed.rollups[0]!.rows).toEqual([validRow]);
  });
});
