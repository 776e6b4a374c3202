import type { ReportVirtualMeter } from './energy-report-schema';
import { toDisplay, type BucketOverlap } from './report-buckets';
import type { MeterResult } from './report-flows';
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
 * Virtual meters of a report, evaluated per display bucket. The catalog is every loaded point with a Wh,
 * kWh, W or kW unit, under its point id. An energy point contributes its energy in the bucket, in its own
 * unit, and a power point contributes its average power over the covered part of the bucket. A point
 * without any reading in a bucket is missing there. An invalid definition, or one that uses an invalid
 * one, gets null values and a warning instead of failing the report. So does a value or total that is
 * not finite (an overflow, or a division by zero), because JSON has no number for it.
 */

const MS_PER_HOUR = 3_600_000;
const unitFactor: Record<CatalogMeterUnit, number> = { Wh: 1, kWh: 1000, W: 1, kW: 1000 };

function isCatalogUnit(unit: string): unit is CatalogMeterUnit {
  return catalogMeterUnitSchema.safeParse(unit).success;
}

/** Values of one catalog point per display bucket, in its catalog unit, null where it has no reading. */
function physicalValues(result: MeterResult, unit: CatalogMeterUnit, overlaps: readonly BucketOverlap[], displayCount: number): (number | null)[] {
  const { series } = result;
  const coveredMs = toDisplay(series.coveredMs, overlaps, displayCount);
  if (unit === 'Wh' || unit === 'kWh') {
    const energyWh = toDisplay(result.energyWh, overlaps, displayCount);
    return Array.from(energyWh, (wh, i) => (coveredMs[i]! > 0 ? wh / unitFactor[unit] : null));
  }
  const signedWh = toDisplay(
    series.positiveWh.map((positive, i) => positive - series.negativeWh[i]!),
    overlaps,
    displayCount,
  );
  return Array.from(signedWh, (wh, i) => (coveredMs[i]! > 0 ? wh / (coveredMs[i]! / MS_PER_HOUR) / unitFactor[unit] : null));
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
 * Evaluates the site's virtual meters over the display buckets. `durationsMs` and `startsMs` contain each
 * display bucket's length and start. The total sums (or, for power, averages) the buckets that have a
 * value, and a warning counts the buckets before `now` that have none.
 */
export function reportVirtualMeters(
  definitions: readonly VirtualMeterDefinition[],
  results: readonly MeterResult[],
  overlaps: readonly BucketOverlap[],
  durationsMs: readonly number[],
  startsMs: readonly number[],
  now: number,
): { virtualMeters: ReportVirtualMeter[]; warnings: string[] } {
  const displayCount = durationsMs.length;
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
    if (entry !== undefined) values.set(id, physicalValues(entry.result, entry.unit, overlaps, displayCount));
  }
  const evaluated = evaluateVirtualMeters(valid, catalog, values, displayCount);

  const virtualMeters = definitions.map((definition): ReportVirtualMeter => {
    const series = evaluated.get(definition.id);
    if (series === undefined) return unevaluated(definition, displayCount, unknownById.get(definition.id) ?? []);
    const values = series.values.map((value) => (value === null || Number.isFinite(value) ? value : null));
    const nonFinite = values.filter((value, i) => value === null && series.values[i] !== null).length;
    if (nonFinite > 0) {
      warnings.push(`virtual meter "${definition.id}" is not finite (an overflow or a division by zero) in ${nonFinite} bucket(s), shown as null: check its formula "${definition.formula}"`);
    }
    const presentMs = values.reduce<number>((sum, value, i) => (value === null ? sum : sum + durationsMs[i]!), 0);
    const missingPast = values.filter((value, i) => value === null && startsMs[i]! < now).length;
    if (missingPast > 0 && presentMs > 0) {
      warnings.push(`virtual meter "${definition.id}" has no value in ${missingPast} bucket(s) because an input has no data there: its total covers the other buckets only`);
    }
    let total: number | null = null;
    if (presentMs > 0) {
      const isEnergy = definition.unit === 'Wh' || definition.unit === 'kWh';
      total = isEnergy
        ? values.reduce<number>((sum, value) => sum + (value ?? 0), 0)
        : values.reduce<number>((sum, value, i) => sum + (value ?? 0) * durationsMs[i]!, 0) / presentMs;
      if (!Number.isFinite(total)) {
        warnings.push(`virtual meter "${definition.id}" has a total that overflows, shown as null: check its formula "${definition.formula}"`);
        total = null;
      }
    }
    return {
      id: definition.id,
      name: definition.name,
      unit: definition.unit,
      formula: definition.formula,
      total,
      values,
      missingMeterIds: [...new Set(series.missingMeterIds.flat())],
    };
  });
  return { virtualMeters, warnings };
}
