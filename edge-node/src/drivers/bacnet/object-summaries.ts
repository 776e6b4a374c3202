import { ApplicationTag, EngineeringUnits, ObjectType, PropertyIdentifier } from '@bacnet-js/client';
import { enumName, type ObjectId } from './bacnet-names';
import { unitOfEngineeringUnits } from './engineering-units';
import { propertyKey, type PropertyReader } from './property-reader';

/** One object of a device, as discovery lists it. */
export interface DeviceObjectSummary {
  /** Object type as the standard names it: `analog-input`, `device`. */
  objectType: string;
  instance: number;
  name?: string;
  /** Engineering units of an analog object as the standard names them (`degrees-celsius`). */
  units?: string;
  /** The units' symbol in the shared unit list, when it has one. */
  unit?: string;
}

const analogTypes = new Set<number>([ObjectType.ANALOG_INPUT, ObjectType.ANALOG_OUTPUT, ObjectType.ANALOG_VALUE]);

/** Reads object-name of every object, and units of analog objects, in as few requests as the device allows. */
export async function listObjectSummaries(reader: PropertyReader, ids: readonly ObjectId[]): Promise<DeviceObjectSummary[]> {
  const outcomes = await reader.read(
    ids.map((objectId) => ({
      objectId,
      propertyIds: analogTypes.has(objectId.type) ? [PropertyIdentifier.OBJECT_NAME, PropertyIdentifier.UNITS] : [PropertyIdentifier.OBJECT_NAME],
    })),
  );
  return ids.map((objectId) => {
    const summary: DeviceObjectSummary = { objectType: enumName(ObjectType, objectId.type), instance: objectId.instance };
    const name = outcomes.get(propertyKey(objectId, PropertyIdentifier.OBJECT_NAME));
    const nameValue = name && 'values' in name ? name.values[0] : undefined;
    if (nameValue?.type === ApplicationTag.CHARACTER_STRING) summary.name = String(nameValue.value);
    const units = outcomes.get(propertyKey(objectId, PropertyIdentifier.UNITS));
    const unitsValue = units && 'values' in units ? units.values[0] : undefined;
    if (unitsValue?.type === ApplicationTag.ENUMERATED && typeof unitsValue.value === 'number') {
      summary.units = enumName(EngineeringUnits, unitsValue.value);
      const symbol = unitOfEngineeringUnits(unitsValue.value);
      if (symbol !== undefined) summary.unit = symbol;
    }
    return summary;
  });
}
