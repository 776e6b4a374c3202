import { z } from 'zod';
import { unitSchema } from '../model/units';
import { applyOperator, evaluateFormula, FormulaSyntaxError, parseFormula, referencedMeterIds, type FormulaNode } from './virtual-meter-formula';

export {
  FormulaLimitError,
  FormulaSyntaxError,
  MAX_FORMULA_DEPTH,
  MAX_FORMULA_LENGTH,
  MAX_FORMULA_OPERANDS,
  parseFormula,
  referencedMeterIds,
  type FormulaNode,
} from './virtual-meter-formula';

/**
 * Virtual meters: a formula over other meters, such as
 * `consumption = grid_import + pv - grid_export - battery_charge + battery_discharge`.
 *
 * The formula syntax is described in virtual-meter-formula.ts: bare ids such as `grid.import`, braced ids
 * such as `{grid-meter.import}`, numbers, `+ - * /`, unary minus and parentheses.
 *
 * Units: Wh, kWh and MWh convert automatically (as do W, kW and MW), and every input is converted to the virtual
 * meter's own unit before the formula runs. Energy and power never mix in one formula. A meter may be
 * multiplied or divided only by a number, so the result stays energy or power, and a bare number cannot be
 * added to a meter because it has no unit.
 */

/** Units a catalog or virtual meter may have: energy (Wh, kWh, MWh) or power (W, kW, MW). */
export const catalogMeterUnitSchema = unitSchema.extract(['Wh', 'kWh', 'MWh', 'W', 'kW', 'MW']);
export type CatalogMeterUnit = z.infer<typeof catalogMeterUnitSchema>;

type Dimension = 'energy' | 'power';

const unitScale: Record<CatalogMeterUnit, { dimension: Dimension; factor: number }> = {
  Wh: { dimension: 'energy', factor: 1 },
  kWh: { dimension: 'energy', factor: 1000 },
  MWh: { dimension: 'energy', factor: 1_000_000 },
  W: { dimension: 'power', factor: 1 },
  kW: { dimension: 'power', factor: 1000 },
  MW: { dimension: 'power', factor: 1_000_000 },
};

/** A meter of the site's catalog. `virtual` is the formula when the meter is itself virtual. */
export const catalogMeterSchema = z.object({
  id: z.string().min(1),
  unit: catalogMeterUnitSchema,
  virtual: z.string().min(1).optional(),
});
export type CatalogMeter = z.infer<typeof catalogMeterSchema>;

/**
 * Pattern of a virtual meter id. It has no '.', so it can never equal a point id (`device.point`), even one
 * of a device added after the virtual meter.
 */
export const VIRTUAL_METER_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const virtualMeterIdSchema = z
  .string()
  .trim()
  .regex(VIRTUAL_METER_ID_PATTERN, {
    error: (issue) =>
      `invalid virtual meter id "${String(issue.input)}": use 1 to 64 letters, digits, '_' or '-', starting with a letter or '_'. ` +
      "A '.' is not allowed, so that the id never equals a point id (device.point)",
  });

/** A virtual meter definition as it is saved. The refine checks the formula syntax only. */
export const virtualMeterDefinitionSchema = z
  .object({
    id: virtualMeterIdSchema,
    name: z.string().trim().min(1),
    unit: catalogMeterUnitSchema,
    formula: z.string().trim().min(1),
  })
  .superRefine((definition, context) => {
    try {
      parseFormula(definition.formula);
    } catch (error) {
      if (!(error instanceof FormulaSyntaxError)) throw error;
      context.addIssue({ code: 'custom', path: ['formula'], message: `invalid formula of "${definition.id}": ${error.message}` });
    }
  });
export type VirtualMeterDefinition = z.infer<typeof virtualMeterDefinitionSchema>;

/** One problem found by validateVirtualMeters, on the virtual meter whose formula has it. */
export interface VirtualMeterError {
  meterId: string;
  message: string;
}

/** Unit analysis result of a subtree: a quantity of one dimension (with one of its meters as example) or a constant. */
type Quantity = { kind: 'constant'; value: number } | { kind: 'quantity'; dimension: Dimension; meterId: string; unit: CatalogMeterUnit };

function checkUnits(ownerId: string, node: FormulaNode, units: ReadonlyMap<string, CatalogMeterUnit>, errors: string[]): Quantity | null {
  const where = `in the formula of "${ownerId}"`;
  if (node.kind === 'number') return { kind: 'constant', value: node.value };
  if (node.kind === 'meter') {
    const unit = units.get(node.meterId);
    if (unit === undefined) return null;
    return { kind: 'quantity', dimension: unitScale[unit].dimension, meterId: node.meterId, unit };
  }
  if (node.kind === 'negate') {
    const operand = checkUnits(ownerId, node.operand, units, errors);
    return operand?.kind === 'constant' ? { kind: 'constant', value: -operand.value } : operand;
  }

  const left = checkUnits(ownerId, node.left, units, errors);
  const right = checkUnits(ownerId, node.right, units, errors);
  if (left === null || right === null) return null;

  if (left.kind === 'constant' && right.kind === 'constant') {
    if (node.operator === '/' && right.value === 0) {
      errors.push(`division by zero at column ${node.column} ${where}; divide only by a number other than 0`);
      return null;
    }
    return { kind: 'constant', value: applyOperator(node.operator, left.value, right.value) };
  }

  if (node.operator === '*') {
    if (left.kind === 'quantity' && right.kind === 'quantity') {
      errors.push(`"${left.meterId}" is multiplied by "${right.meterId}" at column ${node.column} ${where}; multiply a meter only by a number, so the result stays energy or power`);
      return null;
    }
    return left.kind === 'quantity' ? left : right;
  }
  if (node.operator === '/') {
    if (right.kind === 'quantity') {
      errors.push(`division by meter "${right.meterId}" at column ${node.column} ${where}; divide a meter only by a number, so the result stays energy or power`);
      return null;
    }
    if (right.value === 0) {
      errors.push(`division by zero at column ${node.column} ${where}; divide only by a number other than 0`);
      return null;
    }
    return left;
  }

  if (left.kind === 'constant' || right.kind === 'constant') {
    const constant = left.kind === 'constant' ? left.value : (right as { value: number }).value;
    errors.push(`the number ${constant} is added to or subtracted from a meter at column ${node.column} ${where}; a bare number has no unit, so use it only to multiply or divide a meter`);
    return null;
  }
  if (left.dimension !== right.dimension) {
    errors.push(
      `unit mismatch at column ${node.column} ${where}: "${left.meterId}" is ${left.dimension} (${left.unit}) but "${right.meterId}" is ${right.dimension} (${right.unit}); add or subtract only energy with energy or power with power`,
    );
    return null;
  }
  return left;
}

/** Lists the meter nodes of a formula tree in the order they appear. */
function meterNodes(node: FormulaNode): Extract<FormulaNode, { kind: 'meter' }>[] {
  if (node.kind === 'meter') return [node];
  if (node.kind === 'negate') return meterNodes(node.operand);
  if (node.kind === 'binary') return [...meterNodes(node.left), ...meterNodes(node.right)];
  return [];
}

/**
 * Returns a known meter id with a '-' that the formula writes bare where it references the unknown
 * `unknownId`. A bare `grid-meter.ImpWh` reads as `grid - meter.ImpWh`, so its parts are unknown meters.
 */
function dashedIdAt(formula: string, tree: FormulaNode, unknownId: string, units: ReadonlyMap<string, CatalogMeterUnit>): string | undefined {
  const columns = meterNodes(tree)
    .filter((node) => node.meterId === unknownId)
    .map((node) => node.column);
  for (const knownId of units.keys()) {
    if (!knownId.includes('-')) continue;
    for (let start = formula.indexOf(knownId); start >= 0; start = formula.indexOf(knownId, start + 1)) {
      if (columns.some((column) => column - 1 >= start && column - 1 < start + knownId.length)) return knownId;
    }
  }
  return undefined;
}

interface CheckedMeter {
  meterId: string;
  unit: CatalogMeterUnit;
  tree: FormulaNode;
}

/** Finds every cycle among virtual meters once, as "a -> b -> a". Self references are reported elsewhere. */
function findCycles(formulas: ReadonlyMap<string, FormulaNode>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];

  const visit = (meterId: string): void => {
    state.set(meterId, 'open');
    stack.push(meterId);
    for (const next of referencedMeterIds(formulas.get(meterId)!)) {
      if (next === meterId || !formulas.has(next)) continue;
      if (state.get(next) === 'open') {
        const path = stack.slice(stack.indexOf(next));
        const key = [...path].sort().join('\u0000');
        if (!cycles.has(key)) cycles.set(key, [...path, next]);
      } else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(meterId, 'done');
  };

  for (const meterId of formulas.keys()) if (state.get(meterId) === undefined) visit(meterId);
  return [...cycles.values()];
}

/**
 * Validates virtual meter definitions against the meter catalog and returns every error found, or an empty
 * list when all are valid. It checks syntax, unknown meters, self references, cycles, energy mixed with
 * power, products or quotients of two meters, and a formula whose dimension differs from the meter's unit.
 * Catalog meters with a `virtual` formula are checked the same way.
 */
export function validateVirtualMeters(definitions: readonly VirtualMeterDefinition[], catalog: readonly CatalogMeter[]): VirtualMeterError[] {
  return checkVirtualMeters(definitions, catalog).errors;
}

function checkVirtualMeters(definitions: readonly VirtualMeterDefinition[], catalog: readonly CatalogMeter[]): { errors: VirtualMeterError[]; checked: CheckedMeter[] } {
  const errors: VirtualMeterError[] = [];
  const units = new Map<string, CatalogMeterUnit>();
  const formulas = new Map<string, FormulaNode>();
  const checked: CheckedMeter[] = [];

  for (const meter of [...catalog, ...definitions]) {
    if (units.has(meter.id)) errors.push({ meterId: meter.id, message: `meter id "${meter.id}" is defined more than once; give each meter a unique id` });
    units.set(meter.id, meter.unit);
  }
  const knownIds = [...units.keys()].sort().join(', ');

  const virtualMeters = [...catalog.flatMap((meter) => (meter.virtual === undefined ? [] : [{ id: meter.id, unit: meter.unit, formula: meter.virtual }])), ...definitions];
  for (const meter of virtualMeters) {
    let tree: FormulaNode;
    try {
      tree = parseFormula(meter.formula);
    } catch (error) {
      if (!(error instanceof FormulaSyntaxError)) throw error;
      errors.push({ meterId: meter.id, message: `invalid formula of "${meter.id}": ${error.message}` });
      continue;
    }
    formulas.set(meter.id, tree);

    const references = referencedMeterIds(tree);
    const unknown = references.filter((id) => !units.has(id));
    for (const id of unknown) {
      const braced = dashedIdAt(meter.formula, tree, id, units);
      const hint = braced === undefined ? `known meters: ${knownIds}` : `write ids with '-' in braces: {${braced}}`;
      errors.push({ meterId: meter.id, message: `unknown meter "${id}" in the formula of "${meter.id}"; ${hint}` });
    }
    if (references.includes(meter.id)) errors.push({ meterId: meter.id, message: `the formula of "${meter.id}" references itself; a virtual meter cannot depend on its own value` });
    if (unknown.length > 0) continue;

    const unitErrors: string[] = [];
    const result = checkUnits(meter.id, tree, units, unitErrors);
    for (const message of unitErrors) errors.push({ meterId: meter.id, message });
    if (result === null) continue;
    if (result.kind === 'constant') {
      errors.push({ meterId: meter.id, message: `the formula of "${meter.id}" references no meter; add at least one meter id` });
      continue;
    }
    const ownDimension = unitScale[meter.unit].dimension;
    if (result.dimension !== ownDimension) {
      errors.push({ meterId: meter.id, message: `the formula of "${meter.id}" gives ${result.dimension} but its unit is ${meter.unit} (${ownDimension}); change the unit or the formula` });
      continue;
    }
    checked.push({ meterId: meter.id, unit: meter.unit, tree });
  }

  for (const cycle of findCycles(formulas)) {
    errors.push({ meterId: cycle[0]!, message: `virtual meters form a cycle: ${cycle.join(' -> ')}; remove one of these references` });
  }
  return { errors, checked };
}

/** Error thrown by evaluateVirtualMeters for invalid definitions. `errors` lists every problem. */
export class VirtualMeterValidationError extends Error {
  constructor(readonly errors: VirtualMeterError[]) {
    super(`invalid virtual meters: ${errors.map((error) => error.message).join(' | ')}`);
    this.name = 'VirtualMeterValidationError';
  }
}

/** Per-bucket result of one virtual meter, in its own unit. */
export interface VirtualMeterSeries {
  meterId: string;
  unit: CatalogMeterUnit;
  /** Value per bucket, null where an input is missing. */
  values: (number | null)[];
  /** Physical meter ids missing in each bucket (empty where the value is present). */
  missingMeterIds: string[][];
}

/**
 * Evaluates every virtual meter per bucket, in dependency order so a virtual meter can use another. The
 * result contains the definitions and the catalog meters with a `virtual` formula.
 * `physicalValues` maps each physical meter id to its values in its catalog unit, one per bucket, null
 * where a value is missing. Throws VirtualMeterValidationError for invalid definitions and an Error when a
 * physical meter has no series or a series of the wrong length.
 */
export function evaluateVirtualMeters(
  definitions: readonly VirtualMeterDefinition[],
  catalog: readonly CatalogMeter[],
  physicalValues: ReadonlyMap<string, readonly (number | null)[]>,
  bucketCount: number,
): Map<string, VirtualMeterSeries> {
  const { errors, checked } = checkVirtualMeters(definitions, catalog);
  if (errors.length > 0) throw new VirtualMeterValidationError(errors);

  const units = new Map<string, CatalogMeterUnit>([...catalog, ...definitions].map((meter) => [meter.id, meter.unit]));
  const pending = new Map(checked.map((meter) => [meter.meterId, meter]));
  const results = new Map<string, VirtualMeterSeries>();

  const seriesOf = (meterId: string): { values: readonly (number | null)[]; missing: readonly string[][] } => {
    const virtual = results.get(meterId) ?? evaluate(pending.get(meterId));
    if (virtual) return { values: virtual.values, missing: virtual.missingMeterIds };
    const values = physicalValues.get(meterId);
    if (values === undefined) throw new Error(`no values for physical meter "${meterId}"; pass a series (null where a bucket is missing) for every meter the formulas use`);
    if (values.length !== bucketCount) throw new Error(`meter "${meterId}" has ${values.length} values but there are ${bucketCount} buckets; align every series to the buckets`);
    return { values, missing: values.map((value) => (value === null ? [meterId] : [])) };
  };

  const evaluate = (meter: CheckedMeter | undefined): VirtualMeterSeries | undefined => {
    if (meter === undefined) return undefined;
    const inputs = new Map(referencedMeterIds(meter.tree).map((id) => [id, seriesOf(id)]));
    const series: VirtualMeterSeries = { meterId: meter.meterId, unit: meter.unit, values: [], missingMeterIds: [] };
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      const missing = [...new Set([...inputs.values()].flatMap((input) => input.missing[bucket]!))];
      series.missingMeterIds.push(missing);
      series.values.push(missing.length > 0 ? null : evaluateFormula(meter.tree, (id) => (inputs.get(id)!.values[bucket]! * unitScale[units.get(id)!].factor) / unitScale[meter.unit].factor));
    }
    results.set(meter.meterId, series);
    pending.delete(meter.meterId);
    return series;
  };

  for (const meter of checked) if (!results.has(meter.meterId)) evaluate(meter);
  return results;
}
