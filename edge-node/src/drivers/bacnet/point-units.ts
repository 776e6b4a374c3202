import { ApplicationTag, EngineeringUnits, PropertyIdentifier } from '@bacnet-js/client';
import type { BacnetPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import { enumName, objectKey } from './bacnet-names';
import { unitOfEngineeringUnits } from './engineering-units';
import { readsPresentValue, type ResolvedPoint } from './point-reads';
import { propertyKey, type PropertyReader } from './property-reader';

/**
 * Reads the units property of the analog objects behind present-value points and compares it with
 * the configured unit. A point without a unit takes the device's when the shared unit list has it. A
 * point whose unit differs, without scale or offset to convert, is logged. Returns the points in
 * order, with units filled in. A property the device rejects is skipped, and a timeout is thrown.
 */
export async function verifyUnits(reader: PropertyReader, points: readonly ResolvedPoint[], logger: Logger): Promise<BacnetPoint[]> {
  const analog = points.filter((resolved) => resolved.point.objectType.startsWith('analog-') && readsPresentValue(resolved));
  const objects = [...new Map(analog.map((resolved) => [objectKey(resolved.objectId), resolved.objectId])).values()];
  const outcomes = await reader.read(objects.map((objectId) => ({ objectId, propertyIds: [PropertyIdentifier.UNITS] })));

  return points.map((resolved) => {
    const { point } = resolved;
    if (!analog.includes(resolved)) return point;
    const outcome = outcomes.get(propertyKey(resolved.objectId, PropertyIdentifier.UNITS));
    const first = outcome && 'values' in outcome ? outcome.values[0] : undefined;
    if (first?.type !== ApplicationTag.ENUMERATED || typeof first.value !== 'number') return point;
    const code = first.value;
    const symbol = unitOfEngineeringUnits(code);
    const deviceUnits = enumName(EngineeringUnits, code);
    if (point.unit === '') {
      if (symbol === undefined || symbol === '') return point;
      logger.debug({ point: point.key, unit: symbol }, `point ${point.key} takes the device's units ${deviceUnits}`);
      return { ...point, unit: symbol };
    }
    const converted = point.scale !== 1 || point.offset !== 0;
    if (symbol !== point.unit && !converted) {
      logger.warn({ point: point.key, unit: point.unit, deviceUnits }, `point ${point.key} is configured in ${point.unit}, but the device reports ${deviceUnits}`);
    }
    return point;
  });
}
