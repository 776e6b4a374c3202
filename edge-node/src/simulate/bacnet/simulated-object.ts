import {
  ApplicationTag,
  EngineeringUnits,
  ErrorClass,
  ErrorCode,
  EventState,
  ObjectType,
  PropertyIdentifier,
  Reliability,
  StatusFlags,
  StatusFlagsBitString,
  type BACNetAppData,
} from '@bacnet-js/client';
import type { BacnetObjectType } from '@simtestlab/sync';
import { ARRAY_ALL, objectTypeCode, type ObjectId } from '../../drivers/bacnet/bacnet-names';

/** Commandable objects have 16 priorities (ANSI/ASHRAE 135 clause 19.2). */
export const PRIORITY_LEVELS = 16;

/** A property request the object cannot serve, with the BACnet error class and code of the reply. */
export class PropertyAccessError extends Error {
  constructor(
    readonly errorClass: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'PropertyAccessError';
  }
}

/** Definition of a simulated object: its identity, units and the source of its value. */
export interface SimulatedObjectSpec {
  objectType: BacnetObjectType;
  instance: number;
  name: string;
  description?: string;
  /** Engineering units code of an analog object (the library's `EngineeringUnits`). */
  units?: number;
  /**
   * The process value now, or null in a data gap. For a commandable object it is the
   * relinquish-default, the value in effect while no priority contains a command.
   */
  source: () => number | null;
  /** Whether present-value is commanded through a priority array. */
  commandable?: boolean;
  /** Change of present-value that triggers a COV notification; analog objects only. Default 0.1. */
  covIncrement?: number;
  /** Number of states of a multi-state object. Default 4. */
  numberOfStates?: number;
}

/** Status flags a test forces on top of those the object derives itself. */
export type ForcedStatus = Partial<Record<'inAlarm' | 'fault' | 'overridden', boolean>>;

function isAnalog(type: number): boolean {
  return type === ObjectType.ANALOG_INPUT || type === ObjectType.ANALOG_OUTPUT || type === ObjectType.ANALOG_VALUE;
}

function isBinary(type: number): boolean {
  return type === ObjectType.BINARY_INPUT || type === ObjectType.BINARY_OUTPUT || type === ObjectType.BINARY_VALUE;
}

function unknownProperty(propertyId: number): PropertyAccessError {
  return new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.UNKNOWN_PROPERTY, `unknown property ${propertyId}`);
}

/**
 * One analog, binary or multi-state object of the simulated device. Inputs follow their source and
 * report a fault in data gaps. Commandable objects resolve present-value from their priority array
 * and fall back to the source as relinquish-default. While out of service, present-value is
 * whatever was last written to it.
 */
export class SimulatedObject {
  readonly id: ObjectId;
  readonly spec: SimulatedObjectSpec;
  private readonly priorityArray: (number | null)[] = new Array<number | null>(PRIORITY_LEVELS).fill(null);
  private lastSourceValue: number | null = null;
  private outOfService = false;
  private outOfServiceValue = 0;
  private forced: ForcedStatus = {};

  constructor(spec: SimulatedObjectSpec) {
    this.spec = spec;
    this.id = { type: objectTypeCode(spec.objectType), instance: spec.instance };
  }

  get commandable(): boolean {
    return this.spec.commandable === true;
  }

  get covIncrement(): number {
    return isAnalog(this.id.type) ? (this.spec.covIncrement ?? 0.1) : 0;
  }

  /** Returns the current present-value. */
  presentValue(): number {
    if (this.outOfService) return this.outOfServiceValue;
    if (this.commandable) {
      const commanded = this.priorityArray.find((slot) => slot !== null);
      if (commanded !== undefined && commanded !== null) return commanded;
    }
    return this.sourceValue() ?? this.defaultValue();
  }

  /** Status flags: fault in a data gap (unless out of service), out-of-service, and forced flags. */
  statusFlags(): { inAlarm: boolean; fault: boolean; overridden: boolean; outOfService: boolean } {
    const gap = !this.commandable && !this.outOfService && this.sourceValue() === null;
    return {
      inAlarm: this.forced.inAlarm ?? false,
      fault: this.forced.fault ?? gap,
      overridden: this.forced.overridden ?? false,
      outOfService: this.outOfService,
    };
  }

  /** Forces status flags, or clears them with an empty object. */
  forceStatus(status: ForcedStatus): void {
    this.forced = { ...status };
  }

  /** Property identifiers the object has, in the order ReadPropertyMultiple of `all` returns them. */
  propertyIds(): number[] {
    const ids = [
      PropertyIdentifier.OBJECT_IDENTIFIER,
      PropertyIdentifier.OBJECT_NAME,
      PropertyIdentifier.OBJECT_TYPE,
      PropertyIdentifier.PRESENT_VALUE,
      PropertyIdentifier.DESCRIPTION,
      PropertyIdentifier.STATUS_FLAGS,
      PropertyIdentifier.EVENT_STATE,
      PropertyIdentifier.RELIABILITY,
      PropertyIdentifier.OUT_OF_SERVICE,
    ];
    if (isAnalog(this.id.type)) ids.push(PropertyIdentifier.UNITS, PropertyIdentifier.COV_INCREMENT);
    if (this.id.type === ObjectType.MULTI_STATE_INPUT || this.id.type === ObjectType.MULTI_STATE_OUTPUT || this.id.type === ObjectType.MULTI_STATE_VALUE) {
      ids.push(PropertyIdentifier.NUMBER_OF_STATES);
    }
    if (this.commandable) ids.push(PropertyIdentifier.PRIORITY_ARRAY, PropertyIdentifier.RELINQUISH_DEFAULT);
    return ids;
  }

  /** Returns a property's values. Throws PropertyAccessError for what the object does not have. */
  readProperty(propertyId: number, index: number = ARRAY_ALL): BACNetAppData[] {
    if (propertyId === PropertyIdentifier.PRIORITY_ARRAY && this.commandable) return this.readPriorityArray(index);
    if (index !== ARRAY_ALL) {
      if (!this.propertyIds().includes(propertyId)) throw unknownProperty(propertyId);
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.PROPERTY_IS_NOT_AN_ARRAY, `property ${propertyId} is not an array`);
    }
    const flags = this.statusFlags();
    switch (propertyId) {
      case PropertyIdentifier.OBJECT_IDENTIFIER:
        return [{ type: ApplicationTag.OBJECTIDENTIFIER, value: this.id }];
      case PropertyIdentifier.OBJECT_NAME:
        return [{ type: ApplicationTag.CHARACTER_STRING, value: this.spec.name }];
      case PropertyIdentifier.OBJECT_TYPE:
        return [{ type: ApplicationTag.ENUMERATED, value: this.id.type }];
      case PropertyIdentifier.PRESENT_VALUE:
        return [this.encode(this.presentValue())];
      case PropertyIdentifier.DESCRIPTION:
        return [{ type: ApplicationTag.CHARACTER_STRING, value: this.spec.description ?? '' }];
      case PropertyIdentifier.STATUS_FLAGS:
        return [{ type: ApplicationTag.BIT_STRING, value: statusFlagsBits(flags) }];
      case PropertyIdentifier.EVENT_STATE:
        return [{ type: ApplicationTag.ENUMERATED, value: flags.fault ? EventState.FAULT : EventState.NORMAL }];
      case PropertyIdentifier.RELIABILITY:
        return [{ type: ApplicationTag.ENUMERATED, value: flags.fault ? Reliability.NO_SENSOR : Reliability.NO_FAULT_DETECTED }];
      case PropertyIdentifier.OUT_OF_SERVICE:
        return [{ type: ApplicationTag.BOOLEAN, value: this.outOfService }];
      case PropertyIdentifier.RELINQUISH_DEFAULT:
        if (!this.commandable) throw unknownProperty(propertyId);
        return [this.encode(this.sourceValue() ?? this.defaultValue())];
      default:
        return this.readTypeSpecific(propertyId);
    }
  }

  /**
   * Writes a property. present-value of a commandable object takes a value or NULL at `priority`.
   * present-value of any other object is writable only while it is out of service.
   */
  writeProperty(propertyId: number, values: readonly BACNetAppData[], priority: number): void {
    const value = values[0];
    if (value === undefined || values.length !== 1) {
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE, 'expected exactly one value');
    }
    if (propertyId === PropertyIdentifier.OUT_OF_SERVICE) {
      if (value.type !== ApplicationTag.BOOLEAN) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE, 'out-of-service takes a BOOLEAN');
      if (value.value && !this.outOfService) this.outOfServiceValue = this.presentValue();
      this.outOfService = Boolean(value.value);
      return;
    }
    if (propertyId !== PropertyIdentifier.PRESENT_VALUE) {
      if (!this.propertyIds().includes(propertyId)) throw unknownProperty(propertyId);
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.WRITE_ACCESS_DENIED, `property ${propertyId} is read-only`);
    }
    if (this.commandable) {
      if (priority < 1 || priority > PRIORITY_LEVELS) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.PARAMETER_OUT_OF_RANGE, `priority ${priority}`);
      this.priorityArray[priority - 1] = value.type === ApplicationTag.NULL ? null : this.decode(value);
      return;
    }
    if (!this.outOfService) {
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.WRITE_ACCESS_DENIED, 'present-value is writable only while out of service');
    }
    if (value.type === ApplicationTag.NULL) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE, 'NULL needs a commandable object');
    this.outOfServiceValue = this.decode(value);
  }

  private readPriorityArray(index: number): BACNetAppData[] {
    const encoded = this.priorityArray.map((slot): BACNetAppData => (slot === null ? { type: ApplicationTag.NULL, value: null } : this.encode(slot)));
    if (index === ARRAY_ALL) return encoded;
    if (index === 0) return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: PRIORITY_LEVELS }];
    const slot = encoded[index - 1];
    if (!slot) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_ARRAY_INDEX, `priority-array has no index ${index}`);
    return [slot];
  }

  private readTypeSpecific(propertyId: number): BACNetAppData[] {
    if (propertyId === PropertyIdentifier.UNITS && isAnalog(this.id.type)) {
      return [{ type: ApplicationTag.ENUMERATED, value: this.spec.units ?? EngineeringUnits.NO_UNITS }];
    }
    if (propertyId === PropertyIdentifier.COV_INCREMENT && isAnalog(this.id.type)) {
      return [{ type: ApplicationTag.REAL, value: this.covIncrement }];
    }
    if (propertyId === PropertyIdentifier.NUMBER_OF_STATES && this.propertyIds().includes(propertyId)) {
      return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: this.spec.numberOfStates ?? 4 }];
    }
    throw unknownProperty(propertyId);
  }

  private sourceValue(): number | null {
    const value = this.spec.source();
    if (value !== null) this.lastSourceValue = value;
    return value;
  }

  /** Returns the value shown in a gap: the last value of the source, or the type's resting value. */
  private defaultValue(): number {
    if (this.lastSourceValue !== null) return this.lastSourceValue;
    return this.id.type === ObjectType.MULTI_STATE_INPUT || this.id.type === ObjectType.MULTI_STATE_OUTPUT || this.id.type === ObjectType.MULTI_STATE_VALUE
      ? 1
      : 0;
  }

  private encode(value: number): BACNetAppData {
    if (isBinary(this.id.type)) return { type: ApplicationTag.ENUMERATED, value: value ? 1 : 0 };
    if (isAnalog(this.id.type)) return { type: ApplicationTag.REAL, value };
    return { type: ApplicationTag.UNSIGNED_INTEGER, value };
  }

  private decode(value: BACNetAppData): number {
    const accepted = isBinary(this.id.type)
      ? [ApplicationTag.ENUMERATED]
      : isAnalog(this.id.type)
        ? [ApplicationTag.REAL, ApplicationTag.DOUBLE, ApplicationTag.UNSIGNED_INTEGER, ApplicationTag.SIGNED_INTEGER]
        : [ApplicationTag.UNSIGNED_INTEGER];
    if (!accepted.includes(value.type) || typeof value.value !== 'number') {
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE, `application tag ${value.type} does not fit this object`);
    }
    if (isBinary(this.id.type) && value.value !== 0 && value.value !== 1) {
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.VALUE_OUT_OF_RANGE, `binary value ${value.value}`);
    }
    const states = this.spec.numberOfStates ?? 4;
    if (!isBinary(this.id.type) && !isAnalog(this.id.type) && (value.value < 1 || value.value > states)) {
      throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.VALUE_OUT_OF_RANGE, `state ${value.value} of ${states}`);
    }
    return value.value;
  }
}

/** Encodes status flags as the library's bit string. */
export function statusFlagsBits(flags: { inAlarm: boolean; fault: boolean; overridden: boolean; outOfService: boolean }): StatusFlagsBitString {
  const set: StatusFlags[] = [];
  if (flags.inAlarm) set.push(StatusFlags.IN_ALARM);
  if (flags.fault) set.push(StatusFlags.FAULT);
  if (flags.overridden) set.push(StatusFlags.OVERRIDDEN);
  if (flags.outOfService) set.push(StatusFlags.OUT_OF_SERVICE);
  return new StatusFlagsBitString(...set);
}
