import { describe, expect, it } from 'vitest';
import { bracedMeterReference, insertIntoFormula } from '../../../../src/components/energy-settings/formula-insert';

describe('insertIntoFormula', () => {
  const reference = bracedMeterReference('grid-meter.TotWhImp');

  it('braces the meter id', () => {
    expect(reference).toBe('{grid-meter.TotWhImp}');
  });

  it('fills an empty formula', () => {
    expect(insertIntoFormula('', 0, 0, reference)).toEqual({ text: reference, caret: reference.length });
  });

  it('appends with a space', () => {
    expect(insertIntoFormula('{pv.WH} +', 9, 9, reference).text).toBe(`{pv.WH} + ${reference}`);
  });

  it('adds no space after an opening parenthesis', () => {
    expect(insertIntoFormula('2 * ()', 5, 5, reference)).toEqual({ text: `2 * (${reference})`, caret: 5 + reference.length });
  });

  it('replaces the selection', () => {
    const formula = '{pv.WH} - old.id';
    expect(insertIntoFormula(formula, 10, 16, reference).text).toBe(`{pv.WH} - ${reference}`);
  });

  it('separates from text after the caret', () => {
    const result = insertIntoFormula('+ {pv.WH}', 0, 0, reference);
    expect(result.text).toBe(`${reference} + {pv.WH}`);
    expect(result.caret).toBe(reference.length);
  });

  it('clamps a caret past the end', () => {
    expect(insertIntoFormula('a', 5, 9, reference).text).toBe(`a ${reference}`);
  });
});
