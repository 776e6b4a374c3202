import type { ModbusTable } from '@simtestlab/sync';

/** A Modbus table and the 0-based protocol address sent on the wire. */
export interface ProtocolAddress {
  table: ModbusTable;
  address: number;
}

/** Leading digit of a Modicon register number and the table it selects. */
const tablesByPrefix: Record<string, ModbusTable> = {
  '0': 'coil',
  '1': 'discrete-input',
  '3': 'input-register',
  '4': 'holding-register',
};

const usage =
  'expected a 1-based register number: 00001-09999 coils, 10001-19999 discrete inputs, ' +
  '30001-39999 input registers, 40001-49999 holding registers, or the six-digit forms ' +
  '000001-065536, 100001-165536, 300001-365536, 400001-465536';

/**
 * Converts a Modicon register number into a table and a 0-based protocol address. 30001 is input
 * register 0, 40001 holding register 0, 10001 discrete input 0 and 00001 (or 1) coil 0. The six-digit
 * forms reach protocol address 65535, such as 465536 for holding register 65535.
 *
 * A number without leading zeros is read in the five-digit form when it has five digits or fewer, so
 * 10001 is a discrete input. Coils above 9999 need the six-digit form written as a string ("010001").
 * Throws a RangeError naming the number when it falls outside every range.
 */
export function registerNumberToAddress(registerNumber: number | string): ProtocolAddress {
  const text = typeof registerNumber === 'number' ? String(registerNumber) : registerNumber.trim();
  if (!/^\d{1,6}$/.test(text)) throw new RangeError(`invalid register number ${JSON.stringify(registerNumber)}: ${usage}`);

  const digits = text.length <= 5 ? text.padStart(5, '0') : text;
  const table = tablesByPrefix[digits[0]!];
  const offset = Number(digits.slice(1));
  const maxOffset = digits.length === 6 ? 65536 : 9999;
  if (table === undefined || offset < 1 || offset > maxOffset) {
    throw new RangeError(`register number ${JSON.stringify(registerNumber)} is outside every range: ${usage}`);
  }
  return { table, address: offset - 1 };
}
