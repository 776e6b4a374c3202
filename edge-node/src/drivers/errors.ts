/**
 * Errors a driver raises. `retryable` separates what a later attempt may fix (timeouts, lost
 * connections) from what it will not (a bad address, a value out of range).
 */
export class DeviceError extends Error {
  readonly retryable: boolean;
  readonly device: string;

  constructor(message: string, options: { device: string; retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.device = options.device;
    this.retryable = options.retryable;
  }
}

/** The device did not respond within the request timeout. */
export class DeviceTimeoutError extends DeviceError {
  constructor(message: string, options: { device: string; cause?: unknown }) {
    super(message, { ...options, retryable: true });
  }
}

/** The connection could not be opened or was closed while requests were in flight. */
export class DeviceConnectionError extends DeviceError {
  constructor(message: string, options: { device: string; cause?: unknown }) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * The request was never sent: the connection to the device could not be opened, the driver waits
 * before trying again, or the driver stopped first. The device cannot have acted on it.
 */
export class RequestNotSentError extends DeviceConnectionError {}

/** The device replied with a protocol-level error (a Modbus exception, a BACnet error or reject). */
export class DeviceProtocolError extends DeviceError {
  readonly code: number;

  constructor(message: string, options: { device: string; code: number; cause?: unknown }) {
    super(message, { ...options, retryable: false });
    this.code = options.code;
  }
}

/** The request is wrong before it is sent: unknown point, read-only point, value out of range. */
export class DeviceRequestError extends DeviceError {
  constructor(message: string, options: { device: string; cause?: unknown }) {
    super(message, { ...options, retryable: false });
  }
}
