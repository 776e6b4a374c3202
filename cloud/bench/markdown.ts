/* Formatting of figures and tables for docs/benchmarks.md. */

/** A whole number with thousands separators. */
export const count = (value: number) => Math.round(value).toLocaleString('en-US');
/** Milliseconds rounded to whole ones, or `n/a` for NaN (an empty sample). */
export const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : 'n/a');
export const verdict = (met: boolean) => (met ? 'met' : 'missed');

/** Renders a Markdown table as lines. */
export function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}
