import { ApplicationTag, PropertyIdentifier, type BACNetAppData } from '@bacnet-js/client';
import type { BacnetPoint, SampleValue } from '@simtestlab/sync';
import { DeviceRequestError } from '../errors';
import { BacnetErrorResponse } from './bacnet-errors';
import { describeObject, describeProperty, type ObjectId } from './bacnet-names';
import { decodeValue } from './point-values';
import type { PropertyReader } from './property-reader';
import type { RequestTarget, SharedBacnetClient } from './shared-client';

/** The 16 command priorities of a commandable object and what they resolve to. */
export interface PriorityArraySnapshot {
  /** Slot values by priority, index 0 being priority 1; null where a slot is relinquished. */
  slots: SampleValue[];
  /** Highest priority (lowest number) that contains a value; undefined when all are relinquished. */
  activePriority?: number;
}

/** A value to write: a number, boolean or state, or null to relinquish the priority. */
export type WriteValue = number | boolean | string | null;

function requireNumber(point: BacnetPoint, device: string, value: WriteValue): number {
  let number: unknown = value;
  if (typeof value === 'boolean') number = value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') number = Number(value);
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new DeviceRequestError(`point "${point.key}" needs a number, got ${JSON.stringify(value)}`, { device });
  }
  if (point.min !== undefined && number < point.min) {
    throw new DeviceRequestError(`value ${number} of point "${point.key}" is below its minimum ${point.min}`, { device });
  }
  if (point.max !== undefined && number > point.max) {
    throw new DeviceRequestError(`value ${number} of point "${point.key}" is above its maximum ${point.max}`, { device });
  }
  return number;
}

/**
 * Encodes a value in engineering units for a point's object type: REAL for analog objects (after
 * undoing scale and offset), ENUMERATED 0 or 1 for binary objects, an Unsigned state from 1 for
 * multi-state objects, NULL to relinquish. Throws DeviceRequestError for a value that does not fit.
 */
export function encodeWriteValue(point: BacnetPoint, device: string, value: WriteValue): BACNetAppData {
  if (value === null) return { type: ApplicationTag.NULL, value: null };
  const number = requireNumber(point, device, value);
  const raw = (number - point.offset) / point.scale;
  if (point.objectType.startsWith('binary-')) {
    if (raw !== 0 && raw !== 1) throw new DeviceRequestError(`binary point "${point.key}" takes 0 or 1 (or false or true), got ${number}`, { device });
    return { type: ApplicationTag.ENUMERATED, value: raw };
  }
  if (point.objectType.startsWith('multi-state-')) {
    if (!Number.isInteger(raw) || raw < 1) throw new DeviceRequestError(`multi-state point "${point.key}" takes a state number from 1, got ${number}`, { device });
    return { type: ApplicationTag.UNSIGNED_INTEGER, value: raw };
  }
  return { type: ApplicationTag.REAL, value: raw };
}

/** Writes one property; `priority` is sent only for present-value, the one commandable property. */
export async function writeProperty(options: {
  client: SharedBacnetClient;
  target: RequestTarget;
  objectId: ObjectId;
  propertyId: number;
  value: BACNetAppData;
  priority?: number;
}): Promise<void> {
  const { client, target, objectId, propertyId, value, priority } = options;
  const property = describeProperty(propertyId) + (priority === undefined ? '' : ` at priority ${priority}`);
  const request = { service: 'WriteProperty', object: describeObject(objectId), property };
  await client.request(target, request, (library, invokeId) =>
    library.writeProperty(target.receiver, objectId, propertyId, [value], { invokeId, ...(priority === undefined ? {} : { priority }) }),
  );
}

/**
 * Reads the priority-array of a commandable object. Returns undefined when the object has none (the
 * device replies unknown-property), and throws other failures.
 */
export async function readPriorityArray(reader: PropertyReader, point: BacnetPoint, objectId: ObjectId): Promise<PriorityArraySnapshot | undefined> {
  let values: BACNetAppData[];
  try {
    values = await reader.readProperty(objectId, PropertyIdentifier.PRIORITY_ARRAY);
  } catch (error) {
    if (error instanceof BacnetErrorResponse && error.errorCodeName === 'unknown-property') return undefined;
    throw error;
  }
  const slots = values.map((slot) => {
    const decoded = decodeValue(point, [slot]);
    return decoded.ok ? decoded.value : null;
  });
  const active = slots.findIndex((slot) => slot !== null);
  return active < 0 ? { slots } : { slots, activePriority: active + 1 };
}
