import { ApplicationTag, ErrorClass, ErrorCode, type BACNetAppData } from '@bacnet-js/client';
import type { BacnetPoint, QualityReason, SampleValue } from '@simtestlab/sync';
import type { PointReading } from '../driver';
import { enumName } from './bacnet-names';

/** The four Status_Flags of an object (ANSI/ASHRAE 135 clause 12, property status-flags). */
export interface StatusFlags {
  inAlarm: boolean;
  fault: boolean;
  overridden: boolean;
  outOfService: boolean;
}

/** Bit positions of the Status_Flags bit string. */
const IN_ALARM = 0;
const FAULT = 1;
const OVERRIDDEN = 2;
const OUT_OF_SERVICE = 3;

/** Error codes that mean the point names something the device does not have. */
const configErrorCodes = new Set<number>([ErrorCode.UNKNOWN_OBJECT, ErrorCode.UNKNOWN_PROPERTY, ErrorCode.INVALID_ARRAY_INDEX]);

function bit(bitString: { bitsUsed: number; value: number[] }, index: number): boolean {
  if (index >= bitString.bitsUsed) return false;
  // The library keeps bit n of the BACnet bit string at bit (n % 8) of byte n / 8.
  return (((bitString.value[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
}

/** Decodes a status-flags value as the library returns it, or undefined when it is not a bit string. */
export function decodeStatusFlags(values: readonly BACNetAppData[] | undefined): StatusFlags | undefined {
  const first = values?.[0];
  if (first?.type !== ApplicationTag.BIT_STRING) return undefined;
  const bits = first.value as { bitsUsed?: unknown; value?: unknown };
  if (typeof bits.bitsUsed !== 'number' || !Array.isArray(bits.value)) return undefined;
  const bitString = { bitsUsed: bits.bitsUsed, value: bits.value as number[] };
  return {
    inAlarm: bit(bitString, IN_ALARM),
    fault: bit(bitString, FAULT),
    overridden: bit(bitString, OVERRIDDEN),
    outOfService: bit(bitString, OUT_OF_SERVICE),
  };
}

/**
 * Maps an object's status to sample quality, most severe first. A fault makes the value bad. Out of
 * service and overridden make it uncertain, because the value no longer follows the process (it was
 * written by hand, or a local override drives it). In alarm keeps the value good and gives the reason.
 * `outOfService` is the out-of-service property, which some devices report without the flag.
 */
export function qualityOf(flags: StatusFlags | undefined, outOfService?: boolean): Pick<PointReading, 'quality' | 'reason'> {
  if (flags?.fault) return { quality: 'bad', reason: 'fault' };
  if (flags?.outOfService || outOfService) return { quality: 'uncertain', reason: 'out_of_service' };
  if (flags?.overridden) return { quality: 'uncertain', reason: 'overridden' };
  if (flags?.inAlarm) return { quality: 'good', reason: 'in_alarm' };
  return { quality: 'good' };
}

/** A decoded property value, or why it could not be used. */
export type DecodedValue = { ok: true; value: SampleValue } | { ok: false; reason: QualityReason; detail: string };

/** Returns whether a property value is the error the library puts in a ReadPropertyMultiple result. */
export function propertyError(values: readonly BACNetAppData[] | undefined): { errorClass: number; errorCode: number } | undefined {
  const first = values?.[0];
  if (first?.type !== ApplicationTag.ERROR) return undefined;
  const error = first.value as { errorClass?: unknown; errorCode?: unknown };
  if (typeof error.errorClass !== 'number' || typeof error.errorCode !== 'number') return undefined;
  return { errorClass: error.errorClass, errorCode: error.errorCode };
}

/** Describes a BACnet error class and code for logs: `property error unknown-property`. */
export function describeErrorCode(errorClass: number, errorCode: number): string {
  return `${enumName(ErrorClass, errorClass)} error ${enumName(ErrorCode, errorCode)}`;
}

/** Returns the quality reason of a property that came back as a BACnet error. */
export function reasonOfError(errorCode: number): QualityReason {
  return configErrorCodes.has(errorCode) ? 'config' : 'exception';
}

/**
 * Decodes one property value into a sample value in engineering units. Numbers get the point's scale
 * and offset, including enumerations (binary objects: 0 inactive, 1 active) and unsigned states
 * (multi-state objects). BOOLEAN reads 0 or 1, a character string reads as text, and NULL as null.
 */
export function decodeValue(point: Pick<BacnetPoint, 'scale' | 'offset'>, values: readonly BACNetAppData[] | undefined): DecodedValue {
  const error = propertyError(values);
  if (error) {
    return { ok: false, reason: reasonOfError(error.errorCode), detail: describeErrorCode(error.errorClass, error.errorCode) };
  }
  const first = values?.[0];
  if (!first || values!.length !== 1) {
    return { ok: false, reason: 'decode', detail: `expected one value, got ${values?.length ?? 0}` };
  }
  switch (first.type) {
    case ApplicationTag.REAL:
    case ApplicationTag.DOUBLE:
    case ApplicationTag.UNSIGNED_INTEGER:
    case ApplicationTag.SIGNED_INTEGER:
    case ApplicationTag.ENUMERATED: {
      const raw = Number(first.value);
      if (!Number.isFinite(raw)) return { ok: false, reason: 'decode', detail: `value ${String(first.value)} is not a finite number` };
      return { ok: true, value: raw * point.scale + point.offset };
    }
    case ApplicationTag.BOOLEAN:
      return { ok: true, value: first.value ? 1 : 0 };
    case ApplicationTag.CHARACTER_STRING:
      return { ok: true, value: String(first.value) };
    case ApplicationTag.NULL:
      return { ok: true, value: null };
    default:
      return { ok: false, reason: 'decode', detail: `application tag ${first.type} is not a value the driver reads` };
  }
}

/** Decodes a BOOLEAN property such as out-of-service; undefined when it is missing or of another type. */
export function decodeBoolean(values: readonly BACNetAppData[] | undefined): boolean | undefined {
  const first = values?.[0];
  return first?.type === ApplicationTag.BOOLEAN ? Boolean(first.value) : undefined;
}
