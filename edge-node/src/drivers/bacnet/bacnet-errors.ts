import { AbortReason, ErrorClass, ErrorCode, RejectReason } from '@bacnet-js/client';
import { DeviceConnectionError, DeviceError, DeviceProtocolError, DeviceTimeoutError } from '../errors';
import { enumName } from './bacnet-names';

/** Description of a request for error messages: the service and, where it names them, the object and property. */
export interface RequestDescription {
  /** Service name as the standard spells it: `ReadProperty`, `ReadPropertyMultiple`, `SubscribeCOV`. */
  service: string;
  /** `analog-input 3`, or a summary such as `12 objects`. */
  object?: string;
  /** `present-value`, `priority-array[8]`. */
  property?: string;
}

/** Formats a request for messages: `ReadProperty of analog-input 3 present-value`. */
export function describeRequest(request: RequestDescription): string {
  return [request.service, request.object && `of ${request.object}`, request.property].filter(Boolean).join(' ');
}

interface BacnetErrorOptions {
  device: string;
  request: RequestDescription;
  cause?: unknown;
}

/** The device replied with a BACnet Error PDU (an error class and code). */
export class BacnetErrorResponse extends DeviceProtocolError {
  readonly errorClass: number;
  readonly errorCode: number;
  readonly request: RequestDescription;

  constructor(message: string, options: BacnetErrorOptions & { errorClass: number; errorCode: number }) {
    super(message, { device: options.device, code: options.errorCode, cause: options.cause });
    this.errorClass = options.errorClass;
    this.errorCode = options.errorCode;
    this.request = options.request;
  }

  /** The error code's standard name, such as `unknown-property`. */
  get errorCodeName(): string {
    return enumName(ErrorCode, this.errorCode);
  }
}

/** A Reject or Abort PDU from the device, with its reason code and the request it ended. */
abstract class BacnetReasonError extends DeviceProtocolError {
  readonly reason: number;
  readonly request: RequestDescription;

  constructor(message: string, options: BacnetErrorOptions & { reason: number }) {
    super(message, { device: options.device, code: options.reason, cause: options.cause });
    this.reason = options.reason;
    this.request = options.request;
  }
}

/** The device rejected the request as malformed or unsupported (a Reject PDU). */
export class BacnetRejectError extends BacnetReasonError {}

/** The device aborted the transaction (an Abort PDU), for example because the reply needs segmentation. */
export class BacnetAbortError extends BacnetReasonError {}

/** A reply arrived but could not be decoded, or did not match the request. A retry may succeed. */
export class BacnetInvalidReplyError extends DeviceConnectionError {}

/** Kind of negative reply the transport saw for an invoke id, since the library reports both alike. */
export type NegativeReplyKind = 'reject' | 'abort';

interface TranslateContext {
  device: string;
  /** `device "ahu" (instance 1001 at 127.0.0.1:47809)`. */
  target: string;
  request: RequestDescription;
  /** The kind of PDU the transport saw for this request's invoke id, when it was a Reject or an Abort. */
  negativeReply?: NegativeReplyKind;
}

const errorPattern = /^BacnetError - Class:(\d+) - Code:(\d+)/;
const abortPattern = /^BacnetAbort - Reason:(\d+)/;

/**
 * Turns a rejection of a @bacnet-js/client 3.3 request into a DeviceError that names the device,
 * object and property. The library rejects with plain Errors whose message carries the error class
 * and code (`BacnetError - Class:2 - Code:32`), a reason for both Reject and Abort PDUs
 * (`BacnetAbort - Reason:4`), `ERR_TIMEOUT` or `INVALID_DECODING`.
 */
export function translateBacnetError(error: unknown, context: TranslateContext): DeviceError {
  if (error instanceof DeviceError) return error;
  const { device, target, request } = context;
  const what = `${describeRequest(request)} on ${target}`;
  const text = error instanceof Error ? error.message : String(error);

  const errorMatch = errorPattern.exec(text);
  if (errorMatch) {
    const errorClass = Number(errorMatch[1]);
    const errorCode = Number(errorMatch[2]);
    const message = `${what} failed: ${enumName(ErrorClass, errorClass)} error ${enumName(ErrorCode, errorCode)}`;
    return new BacnetErrorResponse(message, { device, request, errorClass, errorCode, cause: error });
  }

  const abortMatch = abortPattern.exec(text);
  if (abortMatch) {
    const reason = Number(abortMatch[1]);
    if (context.negativeReply === 'reject') {
      return new BacnetRejectError(`${what} was rejected: ${enumName(RejectReason, reason)}`, { device, request, reason, cause: error });
    }
    return new BacnetAbortError(`${what} was aborted: ${enumName(AbortReason, reason)}`, { device, request, reason, cause: error });
  }

  if (text === 'ERR_TIMEOUT') return new DeviceTimeoutError(`${what} timed out`, { device, cause: error });
  if (text === 'INVALID_DECODING') return new BacnetInvalidReplyError(`${what} got a reply that could not be decoded`, { device, cause: error });
  return new DeviceConnectionError(`${what} failed: ${text}`, { device, cause: error });
}

/**
 * Returns whether the device itself replied to the request with an Error, Reject or Abort PDU, so
 * it is reachable even though the request failed.
 */
export function isDeviceReply(error: unknown): boolean {
  return error instanceof BacnetErrorResponse || error instanceof BacnetRejectError || error instanceof BacnetAbortError;
}
