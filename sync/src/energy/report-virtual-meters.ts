import type { ReportVirtualMeter } from './energy-report-schema';
import type { MeterResult } from './report-flows';
import { sourceValues, toDisplayValues, virtualTotal, type VirtualBucketLayout } from './report-virtual-buckets';
import {
  catalogMeterUnitSchema,
  evaluateVirtualMeters,
  FormulaSyntaxError,
  parseFormula,
  referencedMeterIds,
  validateVirtualMeters,
  type CatalogMeter,
  type CatalogMeterUnit,
  type VirtualMeterDefinition,
} from './virtual-meter';

/**
 * Virtual meters of a report, evaluated per source bucket (15-minute or hourly rollup bucket) and then
 * aggregated into display buckets (report-virtual-buckets.ts). The catalog is every loaded point with a
 * Wh, kWh, W or kW unit, under its point id. An energy point contributes its energy in a source bucket it
 * covers fully, in its own unit, and a power point its average power over the covered part of the
 * bucket. A point is missing in the other source buckets, and so is a formula that reads it. An invalid
 * definition, or one that uses an invalid one, gets null values and a warning instead of failing the
 * report. So does a value or total that is not finite (an overflow, or a division by zero), because JSON
 * has no number for it.
 */

function isCatalogUnit(unit: string): unit is CatalogMeterUnit {
  return catalogMeterUnitSchema.safeParse(unit).success;
}

function referencesOf(definition: VirtualMeterDefinition): string[] {
  try {
    return referencedMeterIds(parseFormula(definition.formula));
  } catch (error) {
    if (error instanceof FormulaSyntaxError) return [];
    throw error;
  }
}

function unevaluated(definition: VirtualMeterDefinition, displayCount: number, missingMeterIds: string[]): ReportVirtualMeter {
  return { id: definition.id, name: definition.name, unit: definition.unit, formula: definition.formula, total: null, values: new Array(displayCount).fill(null), missingMeterIds };
}

/** Marks every definition that uses an invalid one, directly or through others, as invalid too. */
function spreadInvalid(definitions: readonly VirtualMeterDefinition[], invalid: Map<string, string[]>): void {
  const virtualIds = new Set(definitions.map((definition) => definition.id));
  let changed = true;
  while (changed) {
    changed = false;
    for (const definition of definitions) {
      if (invalid.has(definition.id)) continue;
      const broken = referencesOf(definition).find((id) => virtualIds.has(id) && invalid.has(id));
      if (broken === undefined) continue;
      invalid.set(definition.id, [`it uses virtual meter "${broken}", which could not be evaluated`]);
      changed = true;
    }
  }
}

/**
 * Evaluates the site's virtual meters per source bucket and aggregates them into the display buckets of
 * `layout`. The total sums (or, for power, averages) the buckets that have a value. Warnings count the
 * display buckets before `now` that have no value, and those whose value misses an ended source bucket.
 */
export function reportVirtualMeters(
  definitions: readonly VirtualMeterDefinition[],
  results: readonly MeterResult[],
  layout: VirtualBucketLayout,
  now: number,
): { virtualMeters: ReportVirtualMeter[]; warnings: string[] } {
  const displayCount = layout.displayStarts.length;
  const sourceCount = layout.source.length - 1;
  const catalogResults = new Map<string, { result: MeterResult; unit: CatalogMeterUnit }>();
  for (const result of results) {
    if (isCatalogUnit(result.meter.unit)) catalogResults.set(result.meter.id, { result, unit: result.meter.unit });
  }
  const catalog: CatalogMeter[] = [...catalogResults].map(([id, { unit }]) => ({ id, unit }));
  const virtualIds = new Set(definitions.map((definition) => definition.id));
  const warnings: string[] = [];
  const invalid = new Map<string, string[]>();
  const unknownById = new Map<string, string[]>();

  for (const definition of definitions) {
    const unknown = referencesOf(definition).filter((id) => !catalogResults.has(id) && !virtualIds.has(id));
    if (unknown.length === 0) continue;
    unknownById.set(definition.id, unknown);
    const names = unknown.map((id) => `"${id}"`).join(', ');
    invalid.set(definition.id, [`it uses ${names}, which is not a loaded energy or power point of the site (Wh, kWh, W or kW); check the point id and its unit`]);
  }
  for (const error of validateVirtualMeters(definitions, catalog)) {
    if (unknownById.has(error.meterId)) continue;
    invalid.set(error.meterId, [...(invalid.get(error.meterId) ?? []), error.message]);
  }
  spreadInvalid(definitions, invalid);
  for (const [id, messages] of invalid) warnings.push(`virtual meter "${id}" was not evaluated: ${messages.join('; ')}`);

  const valid = definitions.filter((definition) => !invalid.has(definition.id));
  const values = new Map<string, (number | null)[]>();
  for (const id of new Set(valid.flatMap(referencesOf))) {
    const entry = catalogResults.get(id);
    if (entry !== undefined) values.set(id, sourceValues(entry.result, entry.unit, layout.source));
  }
  const evaluated = evaluateVirtualMeters(valid, catalog, values, sourceCount);

  const virtualMeters = definitions.map((definition): ReportVirtualMeter => {
    const series = evaluated.get(definition.id);
    if (series === undefined) return unevaluated(definition, displayCount, unknownById.get(definition.id) ?? []);

    const display = toDisplayValues(series.values, definition.unit, layout, now);
    const finite = display.values.map((value) => (value === null || Number.isFinite(value) ? value : null));
    const nonFinite = finite.filter((value, i) => value === null && display.values[i] !== null).length;
    if (nonFinite > 0) {
      warnings.push(`virtual meter "${definition.id}" is not finite (an overflow or a division by zero) in ${nonFinite} bucket(s), shown as null: check its formula "${definition.formula}"`);
    }

    const hasValue = finite.some((value) => value !== null);
    const missingPast = finite.filter((value, i) => value === null && display.values[i] === null && layout.displayStarts[i]! < now).length;
    if (missingPast > 0 && hasValue) {
      warnings.push(`virtual meter "${definition.id}" has no value in ${missingPast} bucket(s) because an input has no data there: its total covers the other buckets only`);
    }
    const partial = display.partial.filter((isPartial, i) => isPartial && finite[i] !== null).length;
    if (partial > 0) {
      warnings.push(
        `virtual meter "${definition.id}" covers only part of ${partial} bucket(s) because an input has no complete data in some of their source buckets: those values count the other source buckets only`,
      );
    }

    let total = virtualTotal({ ...display, values: finite }, definition.unit);
    if (total !== null && !Number.isFinite(total)) {
      warnings.push(`virtual meter "${definition.id}" has a total that overflows, shown as null: check its formula "${definition.formula}"`);
      total = null;
    }

    return {
      id: definition.id,
      name: definition.name,
      unit: definition.unit,
      formula: definition.formula,
      total,
      values: finite,
      missingMeterIds: [...new Set(series.missingMeterIds.flat())],
    };
  });
  return { virtualMeters, warnings };
}
