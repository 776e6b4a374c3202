import type { DataType, WordOrder } from '@simtestlab/sync';

/** Registers a numeric data type occupies. */
export const registerCounts: Record<Exclude<DataType, 'string' | 'bool'>, number> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  int64: 4,
  uint64: 4,
  float32: 2,
  float64: 4,
};

/** Registers a value of this type occupies; strings take `length`, booleans one bit or register. */
export function registerCount(dataType: DataType, length?: number): number {
  if (dataType === 'string') return length ?? 1;
  if (dataType === 'bool') return 1;
  return registerCounts[dataType];
}

/**
 * Rearranges the bytes of a multi-register value from the wire order into big-endian (ABCD) order.
 * The swaps are their own inverses, so the same function turns ABCD back into wire order.
 */
export function reorderBytes(bytes: Buffer, wordOrder: WordOrder): Buffer {
  if (wordOrder === 'ABCD' || bytes.length < 2) return bytes;
  const out = Buffer.from(bytes);
  if (wordOrder === 'BADC' || wordOrder === 'DCBA') out.swap16();
  if (wordOrder === 'CDAB' || wordOrder === 'DCBA') {
    const words = out.length / 2;
    for (let i = 0; i < words / 2; i++) {
      const a = i * 2;
      const b = (words - 1 - i) * 2;
      const a0 = out[a]!;
      const a1 = out[a + 1]!;
      out[a] = out[b]!;
      out[a + 1] = out[b + 1]!;
      out[b] = a0;
      out[b + 1] = a1;
    }
  }
  return out;
}

/**
 * SunSpec "not implemented" values per type (SunSpec Information Model Specification 1.0, table of
 * unimplemented values): a device returns them for points it does not support.
 */
export function isSentinel(dataType: DataType, bytes: Buffer): boolean {
  switch (dataType) {
    case 'int16':
      return bytes.readUInt16BE(0) === 0x8000;
    case 'uint16':
      return bytes.readUInt16BE(0) === 0xffff;
    case 'int32':
      return bytes.readUInt32BE(0) === 0x80000000;
    case 'uint32':
      return bytes.readUInt32BE(0) === 0xffffffff;
    case 'int64':
      return bytes.readBigUInt64BE(0) === 0x8000000000000000n;
    case 'uint64':
      return bytes.readBigUInt64BE(0) === 0xffffffffffffffffn;
    case 'float32':
      return Number.isNaN(bytes.readFloatBE(0));
    case 'float64':
      return Number.isNaN(bytes.readDoubleBE(0));
    default:
      return false;
  }
}

/**
 * Decodes registers (as received, two bytes each, big-endian within the register) into a number or
 * string. Returns null for a SunSpec sentinel when `sentinels` is set. 64-bit integers beyond 2^53
 * lose precision as JavaScript numbers; energy counters stay far below that.
 */
export function decodeRegisters(
  wire: Buffer,
  dataType: DataType,
  wordOrder: WordOrder = 'ABCD',
  sentinels = true,
): number | string | null {
  if (dataType === 'string') {
    const text = wire.toString('latin1');
    const end = text.indexOf('\0');
    return (end === -1 ? text : text.slice(0, end)).trimEnd();
  }
  if (dataType === 'bool') return wire.readUInt16BE(0) === 0 ? 0 : 1;
  const bytes = reorderBytes(wire, wordOrder);
  if (sentinels && isSentinel(dataType, bytes)) return null;
  switch (dataType) {
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'int64':
      return Number(bytes.readBigInt64BE(0));
    case 'uint64':
      return Number(bytes.readBigUInt64BE(0));
    case 'float32': {
      const value = bytes.readFloatBE(0);
      return Number.isFinite(value) ? value : null;
    }
    case 'float64': {
      const value = bytes.readDoubleBE(0);
      return Number.isFinite(value) ? value : null;
    }
  }
}

/**
 * Encodes a raw value into wire registers, the inverse of `decodeRegisters`. Integers are rounded;
 * a value outside the type's range throws a RangeError naming it. Strings are NUL-padded to `length`.
 */
export function encodeRegisters(
  value: number | string,
  dataType: DataType,
  wordOrder: WordOrder = 'ABCD',
  length?: number,
): Buffer {
  const size = registerCount(dataType, length) * 2;
  const bytes = Buffer.alloc(size);
  if (dataType === 'string') {
    bytes.write(String(value).slice(0, size), 'latin1');
    return bytes;
  }
  const number = Number(value);
  if (dataType === 'bool') {
    bytes.writeUInt16BE(number ? 1 : 0, 0);
    return bytes;
  }
  if (dataType === 'float32') bytes.writeFloatBE(number, 0);
  else if (dataType === 'float64') bytes.writeDoubleBE(number, 0);
  else writeInteger(bytes, dataType, Math.round(number));
  return reorderBytes(bytes, wordOrder);
}

function writeInteger(bytes: Buffer, dataType: DataType, value: number): void {
  try {
    switch (dataType) {
      case 'int16':
        return void bytes.writeInt16BE(value, 0);
      case 'uint16':
        return void bytes.writeUInt16BE(value, 0);
      case 'int32':
        return void bytes.writeInt32BE(value, 0);
      case 'uint32':
        return void bytes.writeUInt32BE(value, 0);
      case 'int64':
        return void bytes.writeBigInt64BE(BigInt(value), 0);
      case 'uint64':
        return void bytes.writeBigUInt64BE(BigInt(value), 0);
    }
  } catch (error) {
    throw new RangeError(`value ${value} does not fit ${dataType}`, { cause: error });
  }
}

/** Splits a buffer into 16-bit register values, as modbus-serial's server callbacks expect. */
export function toRegisterArray(bytes: Buffer): number[] {
  const registers: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) registers.push(bytes.readUInt16BE(i));
  return registers;
}

/** Joins 16-bit register values into the bytes they carry. */
export function fromRegisterArray(registers: readonly number[]): Buffer {
  const bytes = Buffer.alloc(registers.length * 2);
  registers.forEach((register, i) => bytes.writeUInt16BE(register & 0xffff, i * 2));
  return bytes;
}
