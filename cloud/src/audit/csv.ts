/**
 * First characters that make spreadsheet programs evaluate a cell as a formula (the OWASP "CSV
 * Injection" list). Such a cell gets a leading single quote, so it opens as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters that RFC 4180 allows only inside a quoted field. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Encodes one field: null as empty, a number as itself, text with formula starts neutralized and quoted
 * with doubled quotes when needed. Numbers skip the guard because a spreadsheet evaluates `-5` as the
 * number it is, while `'-5` would turn it into text.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Encodes one record, ended by CRLF as RFC 4180 specifies. */
export function csvRecord(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
