/**
 * CSV encoding per RFC 4180 for the exports of the hub and the shared energy report: CRLF record ends,
 * fields quoted with doubled quotes when needed, and text that a spreadsheet would evaluate as a
 * formula turned into plain text.
 */

/** A number written with a fixed count of decimals, such as kWh with 3. */
export interface FixedDecimal {
  value: number;
  digits: number;
}

/** One field: text, a number, a number with fixed decimals, or null for an empty field. */
export type CsvValue = string | number | FixedDecimal | null;

/**
 * Leading characters on which spreadsheets start evaluating a formula, as listed by OWASP under "CSV
 * Injection". A text field starting with one is prefixed with a single quote, so it opens as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters that RFC 4180 allows only inside a quoted field. */
const NEEDS_QUOTES = /[",\r\n]/;

/** Returns a number with `digits` decimals for a CSV field, or null (an empty field) for null. */
export function fixed(value: number | null, digits: number): FixedDecimal | null {
  return value === null ? null : { value, digits };
}

/**
 * Encodes one field. Numbers skip the formula guard, because a spreadsheet reads `-5` as the number it
 * is, while `'-5` would turn it into text.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    // toFixed keeps the sign of a value that rounds to zero ("-0.000"), which reads as an error.
    const text = value.value.toFixed(value.digits);
    return Number(text) === 0 ? (0).toFixed(value.digits) : text;
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Encodes one record, ended by CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
