import { describe, expect, it } from 'vitest';
import type { DataType, WordOrder } from '@simtestlab/sync';
import {
  decodeRegisters,
  encodeRegisters,
  fromRegisterArray,
  isSentinel,
  registerCount,
  reorderBytes,
  toRegisterArray,
} from '../../../src/drivers/modbus/codec';

const wordOrders: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

describe('codec word orders', () => {
  it('lays out float32 bytes per word order', () => {
    // 123.456 as IEEE 754 single precision is 0x42F6E979.
    const expected: Record<WordOrder, number[]> = {
      ABCD: [0x42f6, 0xe979],
      CDAB: [0xe979, 0x42f6],
      BADC: [0xf642, 0x79e9],
      DCBA: [0x79e9, 0xf642],
    };
    for (const order of wordOrders) {
      expect(toRegisterArray(encodeRegisters(123.456, 'float32', order)), order).toEqual(expected[order]);
    }
  });

  it('swaps all four words of 64-bit values', () => {
    const wire = encodeRegisters(0x0001000200030004, 'uint64', 'CDAB');
    expect(toRegisterArray(wire)).toEqual([0x0004, 0x0003, 0x0002, 0x0001]);
    expect(decodeRegisters(wire, 'uint64', 'CDAB')).toBe(0x0001000200030004);
  });

  it('round-trips every numeric type and order', () => {
    const samples: [DataType, number][] = [
      ['int16', -1234],
      ['uint16', 54321],
      ['int32', -123456789],
      ['uint32', 3_000_000_000],
      ['int64', -9_007_199_254_740],
      ['uint64', 9_007_199_254_740],
      ['float64', -0.000123],
    ];
    for (const order of wordOrders) {
      for (const [type, value] of samples) {
        expect(decodeRegisters(encodeRegisters(value, type, order), type, order, false), `${type} ${order}`).toBe(value);
      }
      const float = decodeRegisters(encodeRegisters(-42.5, 'float32', order), 'float32', order);
      expect(float, `float32 ${order}`).toBe(-42.5);
    }
  });

  it('reorders bytes back with the same swap', () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const order of wordOrders) {
      expect(reorderBytes(reorderBytes(bytes, order), order), order).toEqual(bytes);
    }
  });
});

describe('codec sentinels', () => {
  it('reads SunSpec not-implemented values as null', () => {
    expect(decodeRegisters(fromRegisterArray([0x8000]), 'int16')).toBeNull();
    expect(decodeRegisters(fromRegisterArray([0xffff]), 'uint16')).toBeNull();
    expect(decodeRegisters(fromRegisterArray([0x8000, 0]), 'int32')).toBeNull();
    expect(decodeRegisters(fromRegisterArray([0xffff, 0xffff]), 'uint32')).toBeNull();
    expect(decodeRegisters(fromRegisterArray([0x7fc0, 0]), 'float32')).toBeNull();
    expect(decodeRegisters(fromRegisterArray([0x8000, 0, 0, 0]), 'int64')).toBeNull();
  });

  it('keeps sentinel values when sentinels are off', () => {
    expect(decodeRegisters(fromRegisterArray([0x8000]), 'int16', 'ABCD', false)).toBe(-32768);
    expect(decodeRegisters(fromRegisterArray([0xffff]), 'uint16', 'ABCD', false)).toBe(65535);
  });

  it('checks sentinels in big-endian order', () => {
    expect(isSentinel('int32', reorderBytes(fromRegisterArray([0, 0x8000]), 'CDAB'))).toBe(true);
    expect(isSentinel('int32', fromRegisterArray([0, 0x8000]))).toBe(false);
  });
});

describe('codec strings and sizes', () => {
  it('encodes strings NUL-padded and decodes up to the first NUL', () => {
    const wire = encodeRegisters('SunSpec', 'string', 'ABCD', 8);
    expect(wire.length).toBe(16);
    expect(decodeRegisters(wire, 'string')).toBe('SunSpec');
    expect(decodeRegisters(Buffer.from('AB  \0junk', 'latin1'), 'string')).toBe('AB');
  });

  it('counts registers per type', () => {
    expect(registerCount('int16')).toBe(1);
    expect(registerCount('float32')).toBe(2);
    expect(registerCount('uint64')).toBe(4);
    expect(registerCount('string', 16)).toBe(16);
    expect(registerCount('bool')).toBe(1);
  });

  it('rejects integers that do not fit', () => {
    expect(() => encodeRegisters(70000, 'uint16')).toThrow(RangeError);
    expect(() => encodeRegisters(-1, 'uint32')).toThrow(/does not fit uint32/);
  });

  it('rounds integers when encoding', () => {
    expect(toRegisterArray(encodeRegisters(12.6, 'int16'))).toEqual([13]);
  });

  it('converts register arrays both ways', () => {
    expect(toRegisterArray(fromRegisterArray([1, 0xffff, 0x1234]))).toEqual([1, 0xffff, 0x1234]);
  });
});
