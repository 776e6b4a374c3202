import { DeviceConnectionError, DeviceProtocolError, DeviceTimeoutError, type DeviceError } from '../errors';

/** Modbus exception codes, as named in the Modbus application protocol specification v1.1b3. */
export const modbusExceptionNames: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

export const ILLEGAL_DATA_ADDRESS = 2;
export const ILLEGAL_DATA_VALUE = 3;
const GATEWAY_PATH_UNAVAILABLE = 10;
const GATEWAY_TARGET_FAILED = 11;

/** Names an exception code for messages: `exception 2 (illegal data address)`. */
export function describeException(code: number): string {
  const name = modbusExceptionNames[code];
  return name === undefined ? `exception ${code}` : `exception ${code} (${name})`;
}

/** A modbus-serial failure as a DeviceError, and whether the connection must be reopened. */
export interface TranslatedError {
  error: DeviceError;
  /** The reply did not fit the request, so the byte stream may be out of step: reconnect. */
  resync: boolean;
}

interface ErrorContext {
  device: string;
  description: string;
  unitId: number;
}

/**
 * Turns an error that modbus-serial 8.0 passed to a request callback into a DeviceError.
 * Exception replies carry `modbusCode`. The gateway exceptions 10 and 11 mean that the device behind
 * the gateway cannot be reached, so they become connection and timeout errors of that device. Any other
 * error (`PortNotOpenError`, a CRC or length mismatch, a reply from another unit id) means the
 * connection cannot be trusted.
 */
export function translateModbusError(error: unknown, context: ErrorContext): TranslatedError {
  const { device, description } = context;
  const code = (error as { modbusCode?: unknown } | null)?.modbusCode;
  if (typeof code === 'number') {
    const message = `${description} failed with Modbus ${describeException(code)}`;
    if (code === GATEWAY_TARGET_FAILED) return { error: new DeviceTimeoutError(message, { device, cause: error }), resync: false };
    if (code === GATEWAY_PATH_UNAVAILABLE) {
      return { error: new DeviceConnectionError(message, { device, cause: error }), resync: false };
    }
    return { error: new DeviceProtocolError(message, { device, code, cause: error }), resync: false };
  }

  const name = (error as { name?: unknown } | null)?.name;
  const rawMessage = (error as { message?: unknown } | null)?.message;
  const text = typeof rawMessage === 'string' ? rawMessage : String(error);
  if (name === 'PortNotOpenError') {
    return { error: new DeviceConnectionError(`${description} failed: port not open`, { device, cause: error }), resync: true };
  }
  const unitMismatch = /expected address (\d+) got (\d+)/.exec(text);
  if (unitMismatch) {
    const message =
      `${description} got a reply from unit ${unitMismatch[2]} instead of ${context.unitId}; ` +
      'if a gateway answers with that unit id, add it to connection.acceptUnitIds';
    return { error: new DeviceConnectionError(message, { device, cause: error }), resync: true };
  }
  return { error: new DeviceConnectionError(`${description} got an invalid reply: ${text}`, { device, cause: error }), resync: true };
}
