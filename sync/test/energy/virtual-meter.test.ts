import { describe, expect, it } from 'vitest';
import {
  evaluateVirtualMeters,
  FormulaLimitError,
  FormulaSyntaxError,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  MAX_FORMULA_OPERANDS,
  parseFormula,
  validateVirtualMeters,
  virtualMeterDefinitionSchema,
  VirtualMeterValidationError,
  type CatalogMeter,
  type VirtualMeterDefinition,
} from '../../src/energy/virtual-meter';

const catalog: CatalogMeter[] = [
  { id: 'grid_import', unit: 'Wh' },
  { id: 'grid_export', unit: 'Wh' },
  { id: 'pv', unit: 'kWh' },
  { id: 'battery_charge', unit: 'Wh' },
  { id: 'battery_discharge', unit: 'Wh' },
  { id: 'grid-meter.power', unit: 'W' },
];

const meter = (id: string, formula: string, unit: VirtualMeterDefinition['unit'] = 'Wh'): VirtualMeterDefinition => ({ id, name: id, unit, formula });
const messages = (definitions: VirtualMeterDefinition[], meters: CatalogMeter[] = catalog): string[] => validateVirtualMeters(definitions, meters).map((error) => error.message);
const evaluateOne = (formula: string, values: Record<string, (number | null)[]>, unit: VirtualMeterDefinition['unit'] = 'Wh') =>
  evaluateVirtualMeters([meter('result', formula, unit)], catalog, new Map(Object.entries(values)), Object.values(values)[0]!.length).get('result')!;

describe('virtual meter evaluation', () => {
  it('computes consumption by hand-checked numbers', () => {
    // pv is in kWh: 1.5 kWh = 1500 Wh. 200 + 1500 - 300 - 400 + 0 = 1000 Wh; 0 + 2000 - 500 - 0 + 700 = 2200 Wh.
    const result = evaluateOne('grid_import + pv - grid_export - battery_charge + battery_discharge', {
      grid_import: [200, 0],
      pv: [1.5, 2],
      grid_export: [300, 500],
      battery_charge: [400, 0],
      battery_discharge: [0, 700],
    });

    expect(result.values).toEqual([1000, 2200]);
    expect(result.missingMeterIds).toEqual([[], []]);
  });

  it('applies precedence and unary minus', () => {
    const values = { grid_import: [10], grid_export: [4] };

    expect(evaluateOne('grid_import - grid_export * 2', values).values).toEqual([2]);
    expect(evaluateOne('(grid_import - grid_export) * 2', values).values).toEqual([12]);
    expect(evaluateOne('-grid_import + grid_export', values).values).toEqual([-6]);
    expect(evaluateOne('--grid_import / 4 - -grid_export', values).values).toEqual([6.5]);
    expect(evaluateOne('grid_import / 2 / 5', values).values).toEqual([1]);
  });

  it('converts inputs to the unit of the virtual meter', () => {
    expect(evaluateOne('pv + grid_import', { pv: [1.5], grid_import: [500] }, 'kWh').values).toEqual([2]);
    expect(evaluateOne('pv + grid_import', { pv: [1.5], grid_import: [500] }, 'Wh').values).toEqual([2000]);
  });

  it('converts MWh and MW inputs', () => {
    const megaCatalog: CatalogMeter[] = [...catalog, { id: 'plant.energy', unit: 'MWh' }, { id: 'plant.power', unit: 'MW' }];
    const evaluate = (formula: string, unit: VirtualMeterDefinition['unit'], values: Record<string, number[]>) =>
      evaluateVirtualMeters([meter('result', formula, unit)], megaCatalog, new Map(Object.entries(values)), 1).get('result')!.values;

    expect(evaluate('{plant.energy} + pv', 'kWh', { 'plant.energy': [0.002], pv: [1] })).toEqual([3]);
    expect(evaluate('{plant.energy}', 'MWh', { 'plant.energy': [0.002] })).toEqual([0.002]);
    expect(evaluate('{plant.power} - {grid-meter.power}', 'kW', { 'plant.power': [1.5], 'grid-meter.power': [500] })).toEqual([1499.5]);
    expect(messages([meter('mixed', '{plant.energy} + {plant.power}', 'MWh')], megaCatalog)).toHaveLength(1);
  });

  it('gives null and names missing inputs', () => {
    const result = evaluateOne('grid_import + pv - grid_export', { grid_import: [1, null, null], pv: [0.001, 0.002, null], grid_export: [0, 1, 2] });

    expect(result.values).toEqual([2, null, null]);
    expect(result.missingMeterIds).toEqual([[], ['grid_import'], ['grid_import', 'pv']]);
  });

  it('evaluates virtual meters in dependency order', () => {
    const definitions = [meter('consumption', 'net + pv'), meter('net', 'grid_import - grid_export')];
    const results = evaluateVirtualMeters(definitions, catalog, new Map(Object.entries({ grid_import: [100, null], grid_export: [30, 0], pv: [1, 1] })), 2);

    expect(results.get('net')!.values).toEqual([70, null]);
    expect(results.get('consumption')!.values).toEqual([1070, null]);
    expect(results.get('consumption')!.missingMeterIds).toEqual([[], ['grid_import']]);
  });

  it('reads braced meter ids', () => {
    expect(parseFormula('{grid-meter.power} * 2')).toEqual({
      kind: 'binary',
      operator: '*',
      left: { kind: 'meter', meterId: 'grid-meter.power', column: 1 },
      right: { kind: 'number', value: 2, column: 22 },
      column: 20,
    });
    expect(evaluateOne('{grid-meter.power} / 1000', { 'grid-meter.power': [2500] }, 'kW').values).toEqual([0.0025]);
  });

  it('rejects invalid definitions and series', () => {
    expect(() => evaluateVirtualMeters([meter('bad', 'nope')], catalog, new Map(), 1)).toThrow(VirtualMeterValidationError);
    expect(() => evaluateVirtualMeters([meter('x', 'pv')], catalog, new Map(), 1)).toThrow('no values for physical meter "pv"; pass a series (null where a bucket is missing) for every meter the formulas use');
    expect(() => evaluateVirtualMeters([meter('x', 'pv')], catalog, new Map([['pv', [1, 2]]]), 1)).toThrow('meter "pv" has 2 values but there are 1 buckets; align every series to the buckets');
  });
});

const syntaxErrorOf = (formula: string): FormulaSyntaxError | undefined => {
  try {
    parseFormula(formula);
  } catch (caught) {
    return caught as FormulaSyntaxError;
  }
  return undefined;
};

describe('virtual meter formula syntax', () => {
  const cases: [string, string][] = [
    ['grid_import+ )', "unexpected ')' at column 14; expected a meter id or a number"],
    ['grid_import + (pv - grid_export))', "unexpected ')' at column 33; expected an operator (+ - * /) or the end of the formula"],
    ['grid_import + pv - (grid_export + )', "unexpected ')' at column 35; expected a meter id or a number"],
    ['grid_import +', 'unexpected end of formula at column 14; expected a meter id or a number'],
    ['(grid_import', "unexpected end of formula at column 13; expected ')' to close the '(' at column 1"],
    ['grid_import pv', "unexpected 'pv' at column 13; expected an operator (+ - * /) or the end of the formula"],
    ['grid_import % 2', "unexpected '%' at column 13; expected a meter id or a number or an operator (+ - * / parentheses)"],
    ['{grid-meter.power', "unclosed '{' at column 1; add a '}' after the meter id"],
    ['{ } + pv', "invalid meter id '{ }' at column 1; write one meter id between the braces"],
  ];
  it.each(cases)('rejects %s', (formula, message) => {
    const error = syntaxErrorOf(formula);

    expect(error).toBeInstanceOf(FormulaSyntaxError);
    expect(error?.message).toBe(message);
  });

  it('reports column and token', () => {
    const error = syntaxErrorOf('pv * )');

    expect(error?.column).toBe(6);
    expect(error?.token).toBe(')');
  });

  it('schema rejects a syntax error', () => {
    const parsed = virtualMeterDefinitionSchema.safeParse(meter('consumption', 'pv +'));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('invalid formula of "consumption": unexpected end of formula at column 5; expected a meter id or a number');
    expect(parsed.error?.issues[0]?.path).toEqual(['formula']);
    expect(virtualMeterDefinitionSchema.safeParse(meter('consumption', 'pv + grid_import')).success).toBe(true);
    expect(virtualMeterDefinitionSchema.safeParse({ ...meter('c', 'pv'), unit: 'MWh' }).success).toBe(true);
    expect(virtualMeterDefinitionSchema.safeParse({ ...meter('c', 'pv'), unit: 'A' }).success).toBe(false);
  });
});

describe('virtual meter validation', () => {
  it('accepts valid definitions', () => {
    expect(messages([meter('consumption', 'grid_import + pv - grid_export - battery_charge + battery_discharge'), meter('half', 'consumption / 2', 'kWh')])).toEqual([]);
  });

  const cases: [string, VirtualMeterDefinition[], string[]][] = [
    ['unknown meter', [meter('consumption', 'grid_import + pv2')], ['unknown meter "pv2" in the formula of "consumption"; known meters: battery_charge, battery_discharge, consumption, grid-meter.power, grid_export, grid_import, pv']],
    ['energy plus power', [meter('mixed', 'grid_import + {grid-meter.power}')], ['unit mismatch at column 13 in the formula of "mixed": "grid_import" is energy (Wh) but "grid-meter.power" is power (W); add or subtract only energy with energy or power with power']],
    ['meter times meter', [meter('square', 'pv * grid_import')], ['"pv" is multiplied by "grid_import" at column 4 in the formula of "square"; multiply a meter only by a number, so the result stays energy or power']],
    ['division by a meter', [meter('ratio', '2 * pv / grid_import')], ['division by meter "grid_import" at column 8 in the formula of "ratio"; divide a meter only by a number, so the result stays energy or power']],
    ['division by zero', [meter('zero', 'pv / (2 - 2)')], ['division by zero at column 4 in the formula of "zero"; divide only by a number other than 0']],
    ['number added to a meter', [meter('offset', 'pv + 100')], ['the number 100 is added to or subtracted from a meter at column 4 in the formula of "offset"; a bare number has no unit, so use it only to multiply or divide a meter']],
    ['no meter', [meter('constant', '2 * 3')], ['the formula of "constant" references no meter; add at least one meter id']],
    ['wrong own unit', [meter('power', '{grid-meter.power} * 2', 'kWh')], ['the formula of "power" gives power but its unit is kWh (energy); change the unit or the formula']],
    ['self reference', [meter('loop', 'loop + pv')], ['the formula of "loop" references itself; a virtual meter cannot depend on its own value']],
    ['duplicate id', [meter('pv', 'grid_import')], ['meter id "pv" is defined more than once; give each meter a unique id']],
    ['syntax error', [meter('broken', 'pv + * 2')], ["invalid formula of \"broken\": unexpected '*' at column 6; expected a meter id or a number"]],
    [
      'cycle of three',
      [meter('a', 'b + pv'), meter('b', 'c * 2'), meter('c', '-a')],
      ['virtual meters form a cycle: a -> b -> c -> a; remove one of these references'],
    ],
  ];
  it.each(cases)('reports %s', (_name, definitions, expected) => {
    expect(messages(definitions)).toEqual(expected);
  });

  it('reports all errors together', () => {
    expect(messages([meter('x', 'pv2'), meter('y', 'pv * pv')])).toHaveLength(2);
  });

  it('checks catalog virtual meters for cycles', () => {
    const withVirtual: CatalogMeter[] = [...catalog, { id: 'net', unit: 'Wh', virtual: 'grid_import - total' }];

    expect(messages([meter('total', 'net + pv')], withVirtual)).toEqual(['virtual meters form a cycle: net -> total -> net; remove one of these references']);
  });
});

describe('virtual meter formula limits', () => {
  it('accepts formulas at the limits', () => {
    const nested = `${'('.repeat(MAX_FORMULA_DEPTH)}pv${')'.repeat(MAX_FORMULA_DEPTH)}`;
    const sum = Array.from({ length: MAX_FORMULA_OPERANDS }, () => 'pv').join('+');

    expect(parseFormula(nested)).toEqual({ kind: 'meter', meterId: 'pv', column: MAX_FORMULA_DEPTH + 1 });
    expect(sum.length).toBeLessThanOrEqual(MAX_FORMULA_LENGTH);
    expect(() => parseFormula(sum)).not.toThrow();
  });

  it.each([
    ['nesting', `${'('.repeat(MAX_FORMULA_DEPTH + 1)}pv${')'.repeat(MAX_FORMULA_DEPTH + 1)}`, /nests more than 64 levels/],
    ['unary minus signs', `${'-'.repeat(MAX_FORMULA_DEPTH + 1)}pv`, /nests more than 64 levels/],
    ['operands', Array.from({ length: MAX_FORMULA_OPERANDS + 1 }, () => 'pv').join('+'), /201 operands .* more than the maximum of 200/],
    ['length', `pv${' '.repeat(MAX_FORMULA_LENGTH)}`, /2002 characters long, more than the maximum of 2000/],
    ['40,000 nested parentheses', `${'('.repeat(20_000)}pv${')'.repeat(20_000)}`, /more than the maximum of 2000/],
  ])('rejects too much %s', (_label, formula, message) => {
    expect(() => parseFormula(formula)).toThrow(FormulaLimitError);
    expect(() => parseFormula(formula)).toThrow(message);
  });

  it('names the meter in the schema message', () => {
    const parsed = virtualMeterDefinitionSchema.safeParse(meter('deep', `${'-'.repeat(100)}pv`));

    expect(parsed.error?.issues[0]?.message).toMatch(/^invalid formula of "deep": the formula nests more than 64 levels/);
    expect(parsed.error?.issues[0]?.path).toEqual(['formula']);
  });
});

describe('virtual meter ids', () => {
  it.each(['consumption', '_net', 'site-total', 'a'.repeat(64)])('accepts %s', (id) => {
    expect(virtualMeterDefinitionSchema.safeParse(meter(id, 'pv')).success).toBe(true);
  });

  it.each(['spare.W', '1st', 'a'.repeat(65), 'main meter', ''])('rejects %j', (id) => {
    const parsed = virtualMeterDefinitionSchema.safeParse(meter(id, 'pv'));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['id']);
    expect(parsed.error?.issues[0]?.message).toContain(`invalid virtual meter id "${id}"`);
    expect(parsed.error?.issues[0]?.message).toContain("A '.' is not allowed");
  });
});

describe('unknown meters in a formula', () => {
  it('suggests braces for a bare id with a dash', () => {
    const result = messages([meter('power', 'grid-meter.power * 2', 'W')]);

    expect(result).toHaveLength(2);
    expect(result[0]).toBe(`unknown meter "grid" in the formula of "power"; write ids with '-' in braces: {grid-meter.power}`);
    expect(result[1]).toContain('{grid-meter.power}');
  });

  it('lists the known meters otherwise', () => {
    expect(messages([meter('power', 'grid_meter * 2', 'W')])[0]).toMatch(/^unknown meter "grid_meter" in the formula of "power"; known meters: battery_charge, /);
  });
});
