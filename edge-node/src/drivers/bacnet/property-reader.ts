import { AbortReason, ErrorClass, ErrorCode, RejectReason, type BACNetAppData } from '@bacnet-js/client';
import type { Logger } from '../../logger';
import type { DeviceError } from '../errors';
import { BacnetAbortError, BacnetErrorResponse, BacnetInvalidReplyError, BacnetRejectError, isDeviceReply } from './bacnet-errors';
import { ARRAY_ALL, describeObject, describeProperty, objectKey, type ObjectId } from './bacnet-names';
import type { RequestTarget, SharedBacnetClient } from './shared-client';

/** The properties to read from one object. */
export interface ObjectRead {
  objectId: ObjectId;
  propertyIds: number[];
}

/** Result of one property read: its values (a per-property error is an ERROR value), or why it failed. */
export type PropertyOutcome = { values: BACNetAppData[] } | { failure: DeviceError };

/** Outcomes by `propertyKey(objectId, propertyId)`. */
export type ReadOutcomes = Map<string, PropertyOutcome>;

/** Key of one property of one object in `ReadOutcomes`. */
export function propertyKey(objectId: ObjectId, propertyId: number): string {
  return `${objectKey(objectId)}/${propertyId}`;
}

/**
 * Octets of a ReadPropertyMultiple-ACK, as an upper estimate. The APDU header takes 3, each object 7
 * (object identifier and the list's tags), and each property 11 (identifier, tags and a value no
 * longer than a REAL or a status-flags bit string, or an error).
 */
const ACK_HEADER_OCTETS = 3;
const OBJECT_OCTETS = 7;
const PROPERTY_OCTETS = 11;

/** Parallel ReadProperty requests per device once it is read property by property. */
const READ_PROPERTY_CONCURRENCY = 4;

/** Abort reasons that mean the request or its reply was too large. */
const tooLargeAborts = new Set<number>([AbortReason.SEGMENTATION_NOT_SUPPORTED, AbortReason.BUFFER_OVERFLOW, AbortReason.APDU_TOO_LONG]);

/** Error codes with which devices report a service they do not implement. */
const unsupportedServiceCodes = new Set<number>([
  ErrorCode.REJECT_UNRECOGNIZED_SERVICE,
  ErrorCode.SERVICE_REQUEST_DENIED,
  ErrorCode.OPTIONAL_FUNCTIONALITY_NOT_SUPPORTED,
]);

/** Returns how many objects of a request fit one APDU of `maxApduLength` octets; at least 1. */
export function objectsPerRequest(maxApduLength: number, propertiesPerObject: number): number {
  const perObject = OBJECT_OCTETS + PROPERTY_OCTETS * propertiesPerObject;
  return Math.max(1, Math.floor((maxApduLength - ACK_HEADER_OCTETS) / perObject));
}

/** Returns whether an error means the device does not implement ReadPropertyMultiple at all. */
export function isServiceUnsupported(error: unknown): boolean {
  if (error instanceof BacnetRejectError) return error.reason === RejectReason.UNRECOGNIZED_SERVICE;
  if (error instanceof BacnetErrorResponse) return error.errorClass === ErrorClass.SERVICES && unsupportedServiceCodes.has(error.errorCode);
  return false;
}


export interface PropertyReaderOptions {
  client: SharedBacnetClient;
  target: () => RequestTarget;
  /** The device's max-APDU-length-accepted, in octets. */
  maxApduLength: number;
  logger: Logger;
}

/**
 * Reads properties of many objects with as few requests as the device allows. It sends
 * ReadPropertyMultiple in batches sized to one unsegmented reply and halves a batch that the device
 * rejects or aborts. An object that still fails alone, or a device without ReadPropertyMultiple, is
 * read with ReadProperty. What it learns (the batch size, the lack of ReadPropertyMultiple) applies
 * to later reads.
 *
 * Timeouts and lost connections are thrown, because they concern the device as a whole; a property
 * the device answers with an error comes back as an outcome.
 */
export class PropertyReader {
  private readPropertyMultiple = true;
  /** Largest batch that has worked after a batch failed; unlimited until then. */
  private learnedMaxObjects = Number.POSITIVE_INFINITY;
  private maxApduLength: number;

  constructor(private readonly options: PropertyReaderOptions) {
    this.maxApduLength = options.maxApduLength;
  }

  /** Sets the device's max APDU, once read from the device. */
  setMaxApduLength(octets: number): void {
    this.maxApduLength = octets;
  }

  /** Reads property by property from now on, for a device that does not list ReadPropertyMultiple. */
  disableReadPropertyMultiple(): void {
    this.readPropertyMultiple = false;
  }

  /** Whether the device is read with ReadPropertyMultiple (false once it turned out not to support it). */
  get usesReadPropertyMultiple(): boolean {
    return this.readPropertyMultiple;
  }

  /** Current batch size limit learned from failures; Infinity while none failed. */
  get maxObjectsPerRequest(): number {
    return this.learnedMaxObjects;
  }

  async read(objects: readonly ObjectRead[]): Promise<ReadOutcomes> {
    const outcomes: ReadOutcomes = new Map();
    if (objects.length === 0) return outcomes;
    if (!this.readPropertyMultiple) {
      await this.readEach(objects, outcomes);
      return outcomes;
    }
    const maxProperties = Math.max(...objects.map((object) => object.propertyIds.length));
    let start = 0;
    while (start < objects.length) {
      // Sized again for every batch, since a failed batch lowers the limit for the rest of the read.
      const batchSize = Math.min(this.learnedMaxObjects, objectsPerRequest(this.maxApduLength, maxProperties));
      await this.readBatch(objects.slice(start, start + batchSize), outcomes);
      start += batchSize;
    }
    return outcomes;
  }

  /** Reads one property with ReadProperty; throws the typed error of a failed request. */
  async readProperty(objectId: ObjectId, propertyId: number, index = ARRAY_ALL): Promise<BACNetAppData[]> {
    const target = this.options.target();
    const request = { service: 'ReadProperty', object: describeObject(objectId), property: describeProperty(propertyId, index) };
    const result = await this.options.client.request(target, request, (client, invokeId) =>
      client.readProperty(target.receiver, objectId, propertyId, { invokeId, ...(index === ARRAY_ALL ? {} : { arrayIndex: index }) }),
    );
    const matches =
      result.objectId.type === objectId.type &&
      result.objectId.instance === objectId.instance &&
      result.property.id === propertyId &&
      (result.property.index ?? ARRAY_ALL) === index;
    if (!matches) {
      const got = `${describeObject(result.objectId)} ${describeProperty(result.property.id, result.property.index)}`;
      throw new BacnetInvalidReplyError(`ReadProperty of ${request.object} ${request.property} on ${target.label} got the reply for ${got}`, {
        device: target.device,
      });
    }
    return result.values;
  }

  private async readBatch(batch: readonly ObjectRead[], outcomes: ReadOutcomes): Promise<void> {
    try {
      await this.readMultiple(batch, outcomes);
      return;
    } catch (error) {
      if (isServiceUnsupported(error)) {
        this.readPropertyMultiple = false;
        this.options.logger.warn({ err: error }, 'device does not support ReadPropertyMultiple: reading it with ReadProperty');
        await this.readEach(batch, outcomes);
        return;
      }
      if (!isDeviceReply(error)) throw error;
      if (batch.length === 1) {
        this.options.logger.debug({ err: error, object: describeObject(batch[0]!.objectId) }, 'ReadPropertyMultiple of one object failed: using ReadProperty');
        await this.readEach(batch, outcomes);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      if (half < this.learnedMaxObjects) {
        this.learnedMaxObjects = half;
        const level = error instanceof BacnetAbortError && tooLargeAborts.has(error.reason) ? 'info' : 'warn';
        this.options.logger[level]({ err: error, objectsPerRequest: half }, `ReadPropertyMultiple of ${batch.length} objects failed: reading ${half} objects per request`);
      }
      await this.readBatch(batch.slice(0, half), outcomes);
      await this.readBatch(batch.slice(half), outcomes);
    }
  }

  private async readMultiple(batch: readonly ObjectRead[], outcomes: ReadOutcomes): Promise<void> {
    const target = this.options.target();
    const request = {
      service: 'ReadPropertyMultiple',
      object: batch.length === 1 ? describeObject(batch[0]!.objectId) : `${batch.length} objects`,
    };
    const specification = batch.map((object) => ({
      objectId: object.objectId,
      properties: object.propertyIds.map((id) => ({ id, index: ARRAY_ALL })),
    }));
    const result = await this.options.client.request(target, request, (client, invokeId) =>
      client.readPropertyMultiple(target.receiver, specification, { invokeId }),
    );
    batch.forEach((object, index) => {
      const access = result.values[index];
      if (!access || access.objectId.type !== object.objectId.type || access.objectId.instance !== object.objectId.instance) {
        throw new BacnetInvalidReplyError(`ReadPropertyMultiple of ${request.object} on ${target.label} got a reply for other objects`, {
          device: target.device,
        });
      }
      for (const propertyId of object.propertyIds) {
        const entry = access.values.find((value) => value.id === propertyId);
        if (entry) outcomes.set(propertyKey(object.objectId, propertyId), { values: entry.value });
      }
    });
  }

  private async readEach(objects: readonly ObjectRead[], outcomes: ReadOutcomes): Promise<void> {
    const queue = objects.flatMap((object) => object.propertyIds.map((propertyId) => ({ objectId: object.objectId, propertyId })));
    let failed = false;
    const worker = async () => {
      for (let next = queue.shift(); next && !failed; next = queue.shift()) {
        const key = propertyKey(next.objectId, next.propertyId);
        try {
          outcomes.set(key, { values: await this.readProperty(next.objectId, next.propertyId) });
        } catch (error) {
          if (!isDeviceReply(error)) {
            // A timeout concerns the whole device: the other workers stop sending too.
            failed = true;
            throw error;
          }
          outcomes.set(key, { failure: error as DeviceError });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_PROPERTY_CONCURRENCY, queue.length) }, worker));
  }
}
