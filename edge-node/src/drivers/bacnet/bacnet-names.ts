import { ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import type { BacnetObjectType } from '@simtestlab/sync';

/** A BACnet object identifier: object type code and instance number. */
export interface ObjectId {
  type: number;
  instance: number;
}

/** Array index that the library uses for "the whole property" (BACNET_ARRAY_ALL). */
export const ARRAY_ALL = 0xffffffff;

/** Turns an enum key such as `PRESENT_VALUE` into the standard's spelling `present-value`. */
function standardName(key: string): string {
  return key.toLowerCase().replace(/_/g, '-');
}

/**
 * Returns the standard name of a value of one of the library's numeric enums (`unknown-property`),
 * or the number as text when the enum does not name it (proprietary values).
 */
export function enumName(group: Record<number, string>, value: number): string {
  const key = group[value];
  return typeof key === 'string' ? standardName(key) : String(value);
}

/** Returns the object type code of a configured object type such as `analog-input`. */
export function objectTypeCode(name: BacnetObjectType): number {
  const code = (ObjectType as unknown as Record<string, number>)[name.toUpperCase().replace(/-/g, '_')];
  if (code === undefined) throw new RangeError(`unknown BACnet object type "${name}"`);
  return code;
}

/** Returns the property identifier of a name such as `present-value`, a number as is, or undefined. */
export function propertyCode(property: string | number): number | undefined {
  if (typeof property === 'number') return property;
  return (PropertyIdentifier as unknown as Record<string, number>)[property.toUpperCase().replace(/-/g, '_')];
}

/** Names an object for messages: `analog-input 3`. */
export function describeObject(id: ObjectId): string {
  return `${enumName(ObjectType, id.type)} ${id.instance}`;
}

/** Names a property for messages: `present-value`, or `object-list[3]` with an array index. */
export function describeProperty(id: number, index: number = ARRAY_ALL): string {
  const name = enumName(PropertyIdentifier, id);
  return index === ARRAY_ALL ? name : `${name}[${index}]`;
}

/** Returns a map key for an object identifier. */
export function objectKey(id: ObjectId): string {
  return `${id.type}:${id.instance}`;
}
