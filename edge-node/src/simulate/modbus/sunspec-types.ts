import type { DataType } from '@simtestlab/sync';

/** Wire encoding of a SunSpec point type. */
export interface SunspecEncoding {
  dataType: Exclude<DataType, 'bool' | 'string'>;
  /** Raw range a value may take; the "not implemented" value lies outside it. */
  min: number;
  max: number;
}

const int16: SunspecEncoding = { dataType: 'int16', min: -0x7fff, max: 0x7fff };
const uint16: SunspecEncoding = { dataType: 'uint16', min: 0, max: 0xfffe };
const uint32: SunspecEncoding = { dataType: 'uint32', min: 0, max: 0xfffffffe };
const uint64: SunspecEncoding = { dataType: 'uint64', min: 0, max: Number.MAX_SAFE_INTEGER };

/**
 * Encodings per numeric SunSpec type. Accumulators (`acc*`) use their whole range because they roll
 * over. 64-bit ranges are limited to the integers a JavaScript number represents exactly.
 */
const encodings: Record<string, SunspecEncoding> = {
  int16,
  sunssf: { ...int16, min: -10, max: 10 },
  pad: int16,
  uint16,
  enum16: uint16,
  bitfield16: uint16,
  count: uint16,
  acc16: { dataType: 'uint16', min: 0, max: 0xffff },
  int32: { dataType: 'int32', min: -0x7fffffff, max: 0x7fffffff },
  uint32,
  enum32: uint32,
  bitfield32: uint32,
  ipaddr: uint32,
  acc32: { dataType: 'uint32', min: 0, max: 0xffffffff },
  int64: { dataType: 'int64', min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  uint64,
  acc64: uint64,
  float32: { dataType: 'float32', min: -3.4e38, max: 3.4e38 },
};

/** Returns how a numeric SunSpec type is encoded, or undefined for strings and byte-array types. */
export function sunspecEncoding(type: string): SunspecEncoding | undefined {
  return encodings[type];
}

/** Returns whether a SunSpec type is an accumulator, whose value rolls over instead of saturating. */
export function isAccumulator(type: string): boolean {
  return type.startsWith('acc');
}

/**
 * Returns the registers of an unimplemented point (SunSpec Information Model Specification 1.0,
 * "unimplemented registers"): 0x8000 for signed integers, scale factors and pads, all ones for
 * unsigned integers, enums and bitfields, NaN for floats, and zero for accumulators, strings and
 * addresses.
 */
export function notImplementedRegisters(type: string, size: number): number[] {
  const registers = new Array<number>(size).fill(0);
  if (type === 'float32') return [0x7fc0, 0];
  if (type.startsWith('acc') || type === 'string' || type === 'ipaddr' || type === 'ipv6addr') return registers;
  if (type.startsWith('int') || type === 'sunssf' || type === 'pad') {
    registers[0] = 0x8000;
    return registers;
  }
  return registers.fill(0xffff);
}
