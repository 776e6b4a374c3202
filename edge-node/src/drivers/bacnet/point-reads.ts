import { ApplicationTag, EngineeringUnits, PropertyIdentifier } from '@bacnet-js/client';
import type { BacnetPoint } from '@simtestlab/sync';
import type { Logger } from '../../logger';
import type { PointReading } from '../driver';
import { describeObject, enumName, objectKey, type ObjectId } from './bacnet-names';
import { unitOfEngineeringUnits } from './engineering-units';
import { decodeBoolean, decodeStatusFlags, decodeValue, qualityOf, type StatusFlags } from './point-values';
import { propertyKey, type ObjectRead, type ReadOutcomes } from './property-reader';

/** A configured point with its resolved object identifier and property identifier. */
export interface ResolvedPoint {
  point: BacnetPoint;
  objectId: ObjectId;
  propertyId: number;
}

/** Returns whether a point reads present-value, and so gets status-flags and out-of-service along. */
export function readsPresentValue(resolved: ResolvedPoint): boolean {
  return resolved.propertyId === PropertyIdentifier.PRESENT_VALUE;
}

/**
 * Groups points by object into the properties one poll reads: present-value points add status-flags
 * and out-of-service, and units for analog objects, so a unit changed on the device shows up at the
 * next poll; other points read their own property. Objects keep the order of their first point.
 */
export function planObjectReads(points: readonly ResolvedPoint[]): ObjectRead[] {
  const reads = new Map<string, ObjectRead>();
  for (const resolved of points) {
    const key = objectKey(resolved.objectId);
    let read = reads.get(key);
    if (!read) {
      read = { objectId: resolved.objectId, propertyIds: [] };
      reads.set(key, read);
    }
    const wanted = readsPresentValue(resolved)
      ? [PropertyIdentifier.PRESENT_VALUE, PropertyIdentifier.STATUS_FLAGS, PropertyIdentifier.OUT_OF_SERVICE]
      : [resolved.propertyId];
    if (readsPresentValue(resolved) && resolved.point.objectType.startsWith('analog-')) wanted.push(PropertyIdentifier.UNITS);
    for (const id of wanted) if (!read.propertyIds.includes(id)) read.propertyIds.push(id);
  }
  return [...reads.values()];
}

/** Returns the status of an object in a poll: its flags and out-of-service property, when read. */
export function objectStatus(outcomes: ReadOutcomes, objectId: ObjectId): { flags?: StatusFlags; outOfService?: boolean } {
  const flagsOutcome = outcomes.get(propertyKey(objectId, PropertyIdentifier.STATUS_FLAGS));
  const outOfServiceOutcome = outcomes.get(propertyKey(objectId, PropertyIdentifier.OUT_OF_SERVICE));
  const status: { flags?: StatusFlags; outOfService?: boolean } = {};
  const flags = flagsOutcome && 'values' in flagsOutcome ? decodeStatusFlags(flagsOutcome.values) : undefined;
  if (flags) status.flags = flags;
  const outOfService = outOfServiceOutcome && 'values' in outOfServiceOutcome ? decodeBoolean(outOfServiceOutcome.values) : undefined;
  if (outOfService !== undefined) status.outOfService = outOfService;
  return status;
}

/**
 * Turns the outcomes of a poll into one reading per point. A property the device refused reads bad
 * with the reason (`config` for an unknown object or property, `exception` for other errors), and
 * each such point is logged once until it reads again.
 */
export function toReadings(points: readonly ResolvedPoint[], outcomes: ReadOutcomes, failing: Set<string>, logger: Logger): PointReading[] {
  return points.map((resolved) => {
    const { point, objectId, propertyId } = resolved;
    const outcome = outcomes.get(propertyKey(objectId, propertyId));
    let reading: PointReading;
    let detail: string | undefined;
    if (!outcome) {
      reading = { point: point.key, value: null, quality: 'bad', reason: 'decode' };
      detail = 'the reply did not contain the property';
    } else if ('failure' in outcome) {
      reading = { point: point.key, value: null, quality: 'bad', reason: 'exception' };
      detail = outcome.failure.message;
    } else {
      const decoded = decodeValue(point, outcome.values);
      if (decoded.ok) {
        const status = readsPresentValue(resolved) ? objectStatus(outcomes, objectId) : {};
        reading = { point: point.key, value: decoded.value, ...qualityOf(status.flags, status.outOfService) };
        const deviceUnit = unitMismatch(point, outcomes, objectId);
        if (deviceUnit !== undefined && reading.quality === 'good') {
          reading = { ...reading, quality: 'uncertain', reason: 'config' };
          detail = `the device now reports the object in ${deviceUnit}, not ${point.unit}`;
        }
      } else {
        reading = { point: point.key, value: null, quality: 'bad', reason: decoded.reason };
        detail = decoded.detail;
      }
    }
    if (detail === undefined) {
      failing.delete(point.key);
    } else if (!failing.has(point.key)) {
      failing.add(point.key);
      logger.warn({ point: point.key, object: describeObject(objectId), reason: reading.reason }, `point ${point.key} reads bad: ${detail}`);
    }
    return reading;
  });
}

/**
 * Returns the device's unit when the units property read in this poll differs from the point's
 * configured unit (and the point does not convert with scale or offset), else undefined.
 */
function unitMismatch(point: BacnetPoint, outcomes: ReadOutcomes, objectId: ObjectId): string | undefined {
  if (point.unit === '' || point.scale !== 1 || point.offset !== 0) return undefined;
  const outcome = outcomes.get(propertyKey(objectId, PropertyIdentifier.UNITS));
  const first = outcome && 'values' in outcome ? outcome.values[0] : undefined;
  if (first?.type !== ApplicationTag.ENUMERATED || typeof first.value !== 'number') return undefined;
  const symbol = unitOfEngineeringUnits(first.value);
  if (symbol === undefined || symbol === point.unit) return undefined;
  return symbol === '' ? enumName(EngineeringUnits, first.value) : symbol;
}
