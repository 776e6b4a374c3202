import { roleAtLeast, type Device, type EffectiveRole } from '@simtestlab/sync';
import { replaceUrlPassword } from '../audit/audit-log';

/** Text that replaces a connection password in responses to callers below site manager. */
export const RESPONSE_PASSWORD_MASK = '***';

/** Copies a device with the password of every URL-valued connection field replaced by `replacement`. */
export function withConnectionPasswordsReplaced(device: Device, replacement: string): Device {
  const connection = Object.fromEntries(
    Object.entries(device.connection).map(([key, value]) => [key, typeof value === 'string' ? replaceUrlPassword(value, replacement) : value]),
  );
  return { ...device, connection } as Device;
}

/**
 * Returns the device as a caller with `role` at its site may read it. Site managers and above set the
 * connection, so they get its passwords. Everyone else gets RESPONSE_PASSWORD_MASK in their place.
 */
export function deviceForRole(device: Device, role: EffectiveRole): Device {
  return roleAtLeast(role, 'site_manager') ? device : withConnectionPasswordsReplaced(device, RESPONSE_PASSWORD_MASK);
}
