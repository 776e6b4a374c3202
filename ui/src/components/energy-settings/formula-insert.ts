/** Returns a meter id as a braced formula reference, which accepts any character but the closing brace. */
export function bracedMeterReference(meterId: string): string {
  return `{${meterId}}`;
}

/**
 * Replaces the selection [start, end) of a formula with `insert`, adding a space on either side where
 * the neighbouring character is not already a space or an opening or closing parenthesis. Returns the
 * new text and the caret position after the inserted reference.
 */
export function insertIntoFormula(formula: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, formula.length));
  const to = Math.max(from, Math.min(end, formula.length));
  const before = formula.slice(0, from);
  const after = formula.slice(to);
  const left = before === '' || /[\s(]$/.test(before) ? '' : ' ';
  const right = after === '' || /^[\s)]/.test(after) ? '' : ' ';
  const text = `${before}${left}${insert}${right}${after}`;
  return { text, caret: before.length + left.length + insert.length };
}
