import { ApplicationTag, type BACNetAppData } from '@bacnet-js/client';
import { ARRAY_ALL } from '../../drivers/bacnet/bacnet-names';

/**
 * Octets of encoded replies, so the simulated device can tell when a reply exceeds its max APDU and
 * must abort, as a device without segmentation does. Exact for the value types the simulator serves.
 */

const COMPLEX_ACK_HEADER = 3;

function unsignedLength(value: number): number {
  if (value < 0x100) return 1;
  if (value < 0x10000) return 2;
  if (value < 0x1000000) return 3;
  return 4;
}

/** A tag with its length: one octet up to 4 content octets, two up to 253, four above. */
function tagged(contentLength: number): number {
  if (contentLength <= 4) return 1 + contentLength;
  if (contentLength <= 253) return 2 + contentLength;
  return 4 + contentLength;
}

/** Octets of one application-tagged value. */
export function valueLength(value: BACNetAppData): number {
  switch (value.type) {
    case ApplicationTag.NULL:
    case ApplicationTag.BOOLEAN:
      return 1;
    case ApplicationTag.UNSIGNED_INTEGER:
    case ApplicationTag.ENUMERATED:
      return 1 + unsignedLength(Number(value.value));
    case ApplicationTag.REAL:
      return 5;
    case ApplicationTag.DOUBLE:
      return 10;
    case ApplicationTag.OBJECTIDENTIFIER:
      return 5;
    case ApplicationTag.CHARACTER_STRING:
      return tagged(1 + Buffer.byteLength(String(value.value), 'utf8'));
    case ApplicationTag.BIT_STRING: {
      const bits = value.value as { bitsUsed: number };
      return tagged(1 + Math.ceil(bits.bitsUsed / 8));
    }
    default:
      return 8;
  }
}

function propertyReferenceLength(propertyId: number, index: number): number {
  return 1 + unsignedLength(propertyId) + (index === ARRAY_ALL ? 0 : 1 + unsignedLength(index));
}

/** Octets of a ReadProperty-ACK. */
export function readPropertyAckLength(propertyId: number, index: number, values: readonly BACNetAppData[]): number {
  const body = values.reduce((sum, value) => sum + valueLength(value), 0);
  return COMPLEX_ACK_HEADER + 5 + propertyReferenceLength(propertyId, index) + 2 + body;
}

/** One property of a ReadPropertyMultiple result: its values, or an error class and code. */
export interface PropertyResultSize {
  propertyId: number;
  index: number;
  values?: readonly BACNetAppData[];
  error?: { errorClass: number; errorCode: number };
}

/** Octets of a ReadPropertyMultiple-ACK for results grouped by object. */
export function readPropertyMultipleAckLength(objects: readonly (readonly PropertyResultSize[])[]): number {
  let total = COMPLEX_ACK_HEADER;
  for (const results of objects) {
    total += 5 + 2;
    for (const result of results) {
      total += propertyReferenceLength(result.propertyId, result.index) + 2;
      total += result.error
        ? 1 + unsignedLength(result.error.errorClass) + 1 + unsignedLength(result.error.errorCode)
        : (result.values ?? []).reduce((sum, value) => sum + valueLength(value), 0);
    }
  }
  return total;
}
