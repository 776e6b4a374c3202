import {
  ApplicationTag,
  DeviceStatus,
  ErrorClass,
  ErrorCode,
  ObjectType,
  PropertyIdentifier,
  Segmentation,
  ServicesSupported,
  ServicesSupportedBitString,
  type BACNetAppData,
} from '@bacnet-js/client';
import { ARRAY_ALL, type ObjectId } from '../../drivers/bacnet/bacnet-names';
import { PropertyAccessError, type SimulatedObject } from './simulated-object';

/** What the device object of a simulated device states about it. */
export interface DeviceObjectSpec {
  instance: number;
  name: string;
  vendorId: number;
  modelName: string;
  maxApduLength: number;
  readPropertyMultiple: boolean;
}

/**
 * The device object: identity, the device's limits (max APDU, no segmentation), the services it
 * implements and the object-list, readable whole or by index (index 0 is the length).
 */
export class DeviceObject {
  readonly id: ObjectId;

  constructor(
    private readonly spec: DeviceObjectSpec,
    private readonly objects: readonly SimulatedObject[],
  ) {
    this.id = { type: ObjectType.DEVICE, instance: spec.instance };
  }

  /** Identifiers of every object, the device first. */
  objectList(): ObjectId[] {
    return [this.id, ...this.objects.map((object) => object.id)];
  }

  propertyIds(): number[] {
    return [
      PropertyIdentifier.OBJECT_IDENTIFIER,
      PropertyIdentifier.OBJECT_NAME,
      PropertyIdentifier.OBJECT_TYPE,
      PropertyIdentifier.SYSTEM_STATUS,
      PropertyIdentifier.VENDOR_NAME,
      PropertyIdentifier.VENDOR_IDENTIFIER,
      PropertyIdentifier.MODEL_NAME,
      PropertyIdentifier.PROTOCOL_VERSION,
      PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED,
      PropertyIdentifier.OBJECT_LIST,
      PropertyIdentifier.MAX_APDU_LENGTH_ACCEPTED,
      PropertyIdentifier.SEGMENTATION_SUPPORTED,
      PropertyIdentifier.APDU_TIMEOUT,
      PropertyIdentifier.NUMBER_OF_APDU_RETRIES,
    ];
  }

  readProperty(propertyId: number, index: number = ARRAY_ALL): BACNetAppData[] {
    if (propertyId === PropertyIdentifier.OBJECT_LIST) return this.readObjectList(index);
    if (index !== ARRAY_ALL) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.PROPERTY_IS_NOT_AN_ARRAY, `property ${propertyId} is not an array`);
    switch (propertyId) {
      case PropertyIdentifier.OBJECT_IDENTIFIER:
        return [{ type: ApplicationTag.OBJECTIDENTIFIER, value: this.id }];
      case PropertyIdentifier.OBJECT_NAME:
        return [{ type: ApplicationTag.CHARACTER_STRING, value: this.spec.name }];
      case PropertyIdentifier.OBJECT_TYPE:
        return [{ type: ApplicationTag.ENUMERATED, value: ObjectType.DEVICE }];
      case PropertyIdentifier.SYSTEM_STATUS:
        return [{ type: ApplicationTag.ENUMERATED, value: DeviceStatus.OPERATIONAL }];
      case PropertyIdentifier.VENDOR_NAME:
        return [{ type: ApplicationTag.CHARACTER_STRING, value: 'SimTestLab' }];
      case PropertyIdentifier.VENDOR_IDENTIFIER:
        return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: this.spec.vendorId }];
      case PropertyIdentifier.MODEL_NAME:
        return [{ type: ApplicationTag.CHARACTER_STRING, value: this.spec.modelName }];
      case PropertyIdentifier.PROTOCOL_VERSION:
        return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: 1 }];
      case PropertyIdentifier.PROTOCOL_SERVICES_SUPPORTED:
        return [{ type: ApplicationTag.BIT_STRING, value: this.servicesSupported() }];
      case PropertyIdentifier.MAX_APDU_LENGTH_ACCEPTED:
        return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: this.spec.maxApduLength }];
      case PropertyIdentifier.SEGMENTATION_SUPPORTED:
        return [{ type: ApplicationTag.ENUMERATED, value: Segmentation.NO_SEGMENTATION }];
      case PropertyIdentifier.APDU_TIMEOUT:
        return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: 3000 }];
      case PropertyIdentifier.NUMBER_OF_APDU_RETRIES:
        return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: 3 }];
      default:
        throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.UNKNOWN_PROPERTY, `unknown property ${propertyId}`);
    }
  }

  private readObjectList(index: number): BACNetAppData[] {
    const list = this.objectList().map((id): BACNetAppData => ({ type: ApplicationTag.OBJECTIDENTIFIER, value: id }));
    if (index === ARRAY_ALL) return list;
    if (index === 0) return [{ type: ApplicationTag.UNSIGNED_INTEGER, value: list.length }];
    const entry = list[index - 1];
    if (!entry) throw new PropertyAccessError(ErrorClass.PROPERTY, ErrorCode.INVALID_ARRAY_INDEX, `object-list has no index ${index}`);
    return [entry];
  }

  private servicesSupported(): ServicesSupportedBitString {
    const services = [
      ServicesSupported.SUBSCRIBE_COV,
      ServicesSupported.READ_PROPERTY,
      ServicesSupported.WRITE_PROPERTY,
      ServicesSupported.I_AM,
      ServicesSupported.WHO_IS,
    ];
    if (this.spec.readPropertyMultiple) services.push(ServicesSupported.READ_PROPERTY_MULTIPLE);
    return new ServicesSupportedBitString(...services);
  }
}
