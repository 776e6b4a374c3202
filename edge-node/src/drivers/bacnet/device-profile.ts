import { ErrorCode, ObjectType, PropertyIdentifier, Segmentation, ServicesSupported, type BACNetAppData } from '@bacnet-js/client';
import { bacnetMaxApduLengths } from '@simtestlab/sync';
import { DeviceRequestError } from '../errors';
import { BacnetErrorResponse, isDeviceReply } from './bacnet-errors';
import { ARRAY_ALL, type ObjectId } from './bacnet-names';
import { decodeValue } from './point-values';
import type { PropertyReader } from './property-reader';

/** Facts the driver reads from the device object at start. A field is absent when the device did not report it. */
export interface DeviceProfile {
  name?: string;
  maxApduLength?: number;
  /** Whether the device can send segmented replies (segmentation-supported is both or transmit). */
  segmentation?: boolean;
  readPropertyMultiple?: boolean;
  subscribeCov?: boolean;
}

/** Octets of an object identifier in an object-list reply, and a margin for the ACK's other tags. */
const OBJECT_ID_OCTETS = 5;
const LIST_OVERHEAD_OCTETS = 16;


/**
 * Returns a permanent error when the device replied that it has no device object of that instance:
 * the address is right but `connection.deviceInstance` is not, and reading on would talk to the wrong
 * controller.
 */
function wrongInstance(error: unknown, deviceInstance: number): DeviceRequestError | undefined {
  if (!(error instanceof BacnetErrorResponse) || error.errorCode !== ErrorCode.UNKNOWN_OBJECT) return undefined;
  return new DeviceRequestError(
    `the device at this address has no device object ${deviceInstance} (it answered unknown-object); check connection.deviceInstance`,
    { device: error.device, cause: error },
  );
}

async function readOptional(reader: PropertyReader, objectId: ObjectId, propertyId: number): Promise<BACNetAppData[] | undefined> {
  try {
    return await reader.readProperty(objectId, propertyId);
  } catch (error) {
    if (error instanceof BacnetErrorResponse && error.errorCode === ErrorCode.UNKNOWN_OBJECT) throw error;
    if (isDeviceReply(error)) return undefined;
    throw error;
  }
}

function bitSet(values: BACNetAppData[] | undefined, index: number): boolean | undefined {
  const bits = values?.[0]?.value as { bitsUsed?: number; value?: number[] } | undefined;
  if (!bits || typeof bits.bitsUsed !== 'number' || !Array.isArray(bits.value) || index >= bits.bitsUsed) return undefined;
  return (((bits.value[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
}

/** Clamps a max APDU to the largest standard value not above it. An I-Am from @bacnet-js/client 3.3 states 1482. */
export function standardMaxApdu(octets: number): number {
  return [...bacnetMaxApduLengths].reverse().find((length) => length <= octets) ?? 50;
}

/**
 * Reads object-name, max-apdu-length-accepted, segmentation-supported and protocol-services-supported
 * from the device object with ReadProperty, which every device implements. A property the device
 * rejects is left out. A timeout is thrown, and so is a `DeviceRequestError` when the device has no
 * device object of that instance.
 */
export async function readDeviceProfile(reader: PropertyReader, deviceInstance: number): Promise<DeviceProfile> {
  const device = { type: ObjectType.DEVICE, instance: deviceInstance };
  const profile: DeviceProfile = {};
  let name: BACNetAppData[] | undefined;
  try {
    name = await readOptional(reader, device, PropertyIdentifier.OBJECT_NAME);
  } catch (error) {
    throw wrongInstance(error, deviceInstance) ?? error;
  }
  if (typeof name?.[0]?.value === 'string') profile.name = name[0].value;
  const maxApdu = await readOptional(reader, device, PropertyIdentifier.MAX_APDU_LENGTH_ACCEPTED);
  if (typeof maxApdu?.[0]?.value === 'number') profile.maxApduLength = standardMaxApdu(maxApdu[0].value);
  const segmentation = await readOptional(reader, device, PropertyIdentifier.SEGMENTATION_SUPPORTED);
  if (typeof segmentation?.[0]?.value === 'number') {
    profile.segmentation = segmentation[0].value === Segmentation.SEGMENTED_BOTH || segmentation[0].value === Segmentation.SEGMENTED_TRANSMIT;
  }
  const services = await readOptional(reader, device, PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED);
  const readPropertyMultiple = bitSet(services, ServicesSupported.READ_PROPERTY_MULTIPLE);
  if (readPropertyMultiple !== undefined) profile.readPropertyMultiple = readPropertyMultiple;
  const subscribeCov = bitSet(services, ServicesSupported.SUBSCRIBE_COV);
  if (subscribeCov !== undefined) profile.subscribeCov = subscribeCov;
  return profile;
}

function toObjectIds(values: readonly BACNetAppData[]): ObjectId[] {
  return values.flatMap((entry) => {
    const id = entry.value as { type?: unknown; instance?: unknown } | null;
    return id && typeof id.type === 'number' && typeof id.instance === 'number' ? [{ type: id.type, instance: id.instance }] : [];
  });
}

/**
 * Reads a device's object-list. It reads the length (index 0) first. When the whole list fits one
 * reply or the device can segment, it reads the list at once. Otherwise, or when the device rejects
 * that, it reads entry by entry. `exclusive` runs a read whose reply may be segmented alone on the
 * client.
 */
export async function readObjectList(
  reader: PropertyReader,
  deviceInstance: number,
  options: { maxApduLength: number; segmentation: boolean; exclusive<T>(run: () => Promise<T>): Promise<T> },
): Promise<ObjectId[]> {
  const device = { type: ObjectType.DEVICE, instance: deviceInstance };
  let count: number | undefined;
  try {
    const length = decodeValue({ scale: 1, offset: 0 }, await reader.readProperty(device, PropertyIdentifier.OBJECT_LIST, 0));
    if (length.ok && typeof length.value === 'number') count = length.value;
  } catch (error) {
    if (!isDeviceReply(error)) throw error;
  }

  const fits = count !== undefined && count * OBJECT_ID_OCTETS + LIST_OVERHEAD_OCTETS <= options.maxApduLength;
  if (count === undefined || fits || options.segmentation) {
    try {
      const whole = await options.exclusive(() => reader.readProperty(device, PropertyIdentifier.OBJECT_LIST, ARRAY_ALL));
      return toObjectIds(whole);
    } catch (error) {
      if (!isDeviceReply(error) || count === undefined) throw error;
    }
  }

  const ids: ObjectId[] = [];
  for (let index = 1; index <= count!; index++) {
    ids.push(...toObjectIds(await reader.readProperty(device, PropertyIdentifier.OBJECT_LIST, index)));
  }
  return ids;
}
