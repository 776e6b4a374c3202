import { describe, expect, it } from 'vitest';
import { changeOffset, compareShapeOffsets, MAX_CHANGE_ID, parseShapeOffset, snapshotOffset } from '../../src/shapes/shape-offset';

const lowKey = '00000000-0000-4000-8000-000000000001';
const highKey = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

describe('shape offsets', () => {
  it('orders changes by transaction before id', () => {
    // Transaction 101 took id 7 after transaction 100 took id 9: 100 commits later but reads first.
    expect(compareShapeOffsets(changeOffset(100n, 9n), changeOffset(101n, 7n))).toBeLessThan(0);
  });

  it('orders changes of one transaction by id', () => {
    expect(compareShapeOffsets(changeOffset(100n, 7n), changeOffset(100n, 9n))).toBeLessThan(0);
  });

  it('orders snapshot pages by key', () => {
    expect(compareShapeOffsets(snapshotOffset(99n, lowKey), snapshotOffset(99n, highKey))).toBeLessThan(0);
  });

  it('ends a snapshot after its pages', () => {
    expect(compareShapeOffsets(snapshotOffset(99n, highKey), snapshotOffset(99n, 'end'))).toBeLessThan(0);
  });

  it('ends a snapshot after every change it may contain', () => {
    expect(compareShapeOffsets(changeOffset(99n, MAX_CHANGE_ID), snapshotOffset(99n, 'end'))).toBeLessThan(0);
  });

  it('ends a snapshot before changes of running transactions', () => {
    expect(compareShapeOffsets(snapshotOffset(99n, 'end'), changeOffset(100n, 1n))).toBeLessThan(0);
  });

  it('parses a snapshot end as the log after its horizon', () => {
    expect(parseShapeOffset(snapshotOffset(99n, 'end'))).toEqual({ kind: 'log', xid: 99n, id: MAX_CHANGE_ID });
  });

  it('parses a snapshot page back to its key', () => {
    expect(parseShapeOffset(snapshotOffset(99n, lowKey))).toEqual({ kind: 'snapshot', horizonXid: 99n, afterKey: lowKey });
  });

  it('parses a change offset', () => {
    expect(parseShapeOffset('100_9')).toEqual({ kind: 'log', xid: 100n, id: 9n });
  });

  it('parses the start', () => {
    expect(parseShapeOffset('-1')).toEqual({ kind: 'start' });
  });

  it.each(['', 'now', '1_', '_1', '-2', '1_2_3', '1.5_2', `${'9'.repeat(21)}_1`])('rejects %j', (text) => {
    expect(parseShapeOffset(text)).toBeNull();
  });
});
