import {
  catalogMeterUnitSchema,
  normalizeUnit,
  parseFormula,
  parsePointId,
  referencedMeterIds,
  validateVirtualMeters,
  type CatalogMeterUnit,
  type Device,
  type VirtualMeterDefinition,
} from '@simtestlab/sync';
import { modelKeyPrefix, parseSunspecPointKey, type SunspecPointKey } from '../drivers/modbus/sunspec-points';
import { loadSunspecModel, sunspecModelIds, type SunspecModel, type SunspecPoint } from '../templates/sunspec/models';

/**
 * Load-time check of the site file's virtual meters with the hub's validator (validateVirtualMeters).
 * The catalog it checks against is every energy or power point of a device with a fixed point list,
 * plus each SunSpec point a formula references, found in the shipped model definition.
 */

const catalogUnitNames = catalogMeterUnitSchema.options;
const catalogUnitList = `${catalogUnitNames.slice(0, -1).join(', ')} or ${catalogUnitNames.at(-1)}`;

/** A formula reference resolved to a point with a catalog unit, or the problem that stops it. */
type Resolution = { unit: CatalogMeterUnit } | { problem: string };

function catalogUnitOf(unit: string | undefined): CatalogMeterUnit | undefined {
  const parsed = catalogMeterUnitSchema.safeParse(unit);
  return parsed.success ? parsed.data : undefined;
}

function describeUnit(unitText: string | undefined): string {
  return unitText === undefined || unitText === '' ? 'has no unit' : `has the unit ${unitText}`;
}

/** Lists the energy and power points of one block of a model, as a hint after a misspelled point. */
function describeMeterPoints(points: readonly SunspecPoint[]): string {
  const names = points.filter((point) => catalogUnitOf(normalizeUnit(point.units)) !== undefined).map((point) => point.name);
  return names.length === 0 ? 'it has no energy or power points' : `its energy and power points are ${names.join(', ')}`;
}

function missingPointProblem(model: SunspecModel, key: SunspecPointKey): string {
  const prefix = modelKeyPrefix(key.modelId, key.instance);
  const { pointName } = key;
  if (key.repetition === undefined) {
    if (model.repeating?.points.some((point) => point.name === pointName)) {
      return `SunSpec model ${model.id} has "${pointName}" in its repeating block, not in its fixed block; write ${prefix}.<repetition>.${pointName}, such as ${prefix}.1.${pointName}`;
    }
    return `SunSpec model ${model.id} has no point "${pointName}"; ${describeMeterPoints(model.points)}`;
  }
  if (model.points.some((point) => point.name === pointName)) {
    return `SunSpec model ${model.id} has "${pointName}" in its fixed block, not in a repeating block; write ${prefix}.${pointName}`;
  }
  if (model.repeating === undefined) {
    return `SunSpec model ${model.id} has no repeating block; write a point of its fixed block as ${prefix}.<point>, where ${describeMeterPoints(model.points)}`;
  }
  return `SunSpec model ${model.id} has no point "${pointName}" in its repeating block; ${describeMeterPoints(model.repeating.points)}`;
}

/**
 * Resolves `pointKey` of a SunSpec device from the shipped model definition.
 * NOTE: whether the device reports that model, that instance or that many repetitions is known only
 * after discovery. A reference to a model the device lacks passes here and shows as a warning in the
 * energy report.
 */
function resolveSunspecPoint(deviceKey: string, discoveredModels: readonly number[] | undefined, pointKey: string, lead: string): Resolution {
  const key = parseSunspecPointKey(pointKey);
  if (key === undefined) {
    return {
      problem:
        `unknown ${lead}: device "${deviceKey}" is a SunSpec device, so write its point keys as m<model>.<point> (m103.W), ` +
        'm<model>_<instance>.<point> for a second or later instance of a model (m103_2.W), or m<model>.<repetition>.<point> for a point of a repeating block (m160.1.DCW)',
    };
  }
  const shipped = sunspecModelIds();
  if (!shipped.includes(key.modelId)) {
    return {
      problem:
        `unknown ${lead}: SunSpec model ${key.modelId} is not shipped with the edge node, so discovery on device "${deviceKey}" skips it; ` +
        `use a point of a shipped model (${shipped.join(', ')}) or add model_${key.modelId}.json to templates/sunspec/`,
    };
  }
  if (discoveredModels !== undefined && discoveredModels.length === 0) {
    return { problem: `unknown ${lead}: device "${deviceKey}" discovers no SunSpec models because sunspec.models is empty; add ${key.modelId} to sunspec.models or remove the list` };
  }
  if (discoveredModels !== undefined && !discoveredModels.includes(key.modelId)) {
    return {
      problem:
        `unknown ${lead}: device "${deviceKey}" discovers only SunSpec models ${discoveredModels.join(', ')} (sunspec.models), so model ${key.modelId} gets no points; ` +
        `add ${key.modelId} to sunspec.models or use a point of a listed model`,
    };
  }

  const model = loadSunspecModel(key.modelId);
  const block = key.repetition === undefined ? model.points : (model.repeating?.points ?? []);
  const point = block.find((candidate) => candidate.name === key.pointName);
  if (point === undefined) return { problem: `unknown ${lead}: ${missingPointProblem(model, key)}` };

  const unit = catalogUnitOf(normalizeUnit(point.units));
  if (unit === undefined) {
    return {
      problem: `${lead} is not an energy or power point: point "${point.name}" of SunSpec model ${model.id} ${describeUnit(point.units)}; use a point in ${catalogUnitList}`,
    };
  }
  return { unit };
}

/**
 * Resolves a formula reference that is not in the catalog of fixed points. Returns undefined when the
 * validator's own "unknown meter" message fits: a virtual meter id, an unknown device, or a point that
 * a device with a fixed point list does not have.
 */
function resolveReference(reference: string, meterId: string, devices: ReadonlyMap<string, Device>): Resolution | undefined {
  const pointId = parsePointId(reference);
  const device = pointId === undefined ? undefined : devices.get(pointId.device);
  if (pointId === undefined || device === undefined) return undefined;

  const lead = `meter "${reference}" in the formula of "${meterId}"`;
  const fixedPoint = device.points.find((point) => point.key === pointId.point);
  if (fixedPoint !== undefined) {
    return { problem: `${lead} is not an energy or power point: it ${describeUnit(fixedPoint.unit)}; use a point in ${catalogUnitList}` };
  }
  if (!('sunspec' in device) || device.sunspec === undefined) return undefined;
  return resolveSunspecPoint(device.key, device.sunspec.models, pointId.point, lead);
}

/**
 * Checks the virtual meters of the site file's `energy` section against the site's devices: known
 * meters, energy never mixed with power, no cycle. `definitions` must have passed
 * virtualMeterDefinitionSchema. Issues read `energy.virtualMeters[i].formula: ...`.
 */
export function checkVirtualMeterFormulas(definitions: readonly VirtualMeterDefinition[], devices: readonly Device[], issues: string[]): void {
  if (definitions.length === 0) return;

  const catalog = new Map<string, CatalogMeterUnit>();
  for (const device of devices) {
    for (const point of device.points) {
      const unit = catalogUnitOf(point.unit);
      if (unit !== undefined) catalog.set(`${device.key}.${point.key}`, unit);
    }
  }

  const devicesByKey = new Map(devices.map((device) => [device.key, device]));
  // References this check reported itself, by virtual meter id. The validator's "unknown meter"
  // message for the same reference is dropped, so each mistake is reported once.
  const reported = new Map<string, string[]>();
  definitions.forEach((definition, index) => {
    // The site file schema (virtualMeterDefinitionSchema) rejects a formula that does not parse, so this parse does not throw.
    for (const reference of referencedMeterIds(parseFormula(definition.formula))) {
      if (catalog.has(reference)) continue;
      const resolution = resolveReference(reference, definition.id, devicesByKey);
      if (resolution === undefined) continue;
      if ('unit' in resolution) {
        catalog.set(reference, resolution.unit);
        continue;
      }
      issues.push(`energy.virtualMeters[${index}].formula: ${resolution.problem}`);
      reported.set(definition.id, [...(reported.get(definition.id) ?? []), reference]);
    }
  });

  const indexById = new Map(definitions.map((definition, index) => [definition.id, index]));
  const meters = [...catalog].map(([id, unit]) => ({ id, unit }));
  for (const error of validateVirtualMeters(definitions, meters)) {
    const ownReports = reported.get(error.meterId) ?? [];
    if (ownReports.some((reference) => error.message.startsWith(`unknown meter "${reference}" `))) continue;
    issues.push(`energy.virtualMeters[${indexById.get(error.meterId)}].formula: ${error.message}`);
  }
}
