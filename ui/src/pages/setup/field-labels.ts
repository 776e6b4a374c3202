import type { SetupAction } from './setup-errors';

/** Labels of the wizard's fields, by the body field the edge node names in a 400. */
const FIELD_LABELS: Record<string, string> = {
  code: 'Setup code',
  username: 'Username',
  password: 'Password',
  cloudUrl: 'Cloud URL',
  siteName: 'Site name',
  timeZone: 'Time zone',
  cidr: 'Network to scan',
  modbusPorts: 'Modbus TCP ports',
  unitIds: 'Modbus unit ids',
  bacnet: 'Look for BACnet devices',
  bacnetPort: 'BACnet port',
  devices: 'Devices',
};

/** Labels of the fields of one device in `devices.<index>.<field>`. */
const DEVICE_FIELD_LABELS: Record<string, string> = {
  key: 'key',
  name: 'name',
  template: 'template',
  protocol: 'protocol',
  host: 'host',
  address: 'address',
  port: 'port',
  unitId: 'unit id',
  deviceInstance: 'device instance',
};

/**
 * Returns the form label of the body field `parameter`, such as "Cloud URL" for `cloudUrl` or
 * `Device 2 "Grid meter", template` for `devices.1.template`, or null for a field the wizard does not
 * know. `deviceNames` are the names of the devices in the order they were sent.
 */
export function fieldLabel(parameter: string, action: SetupAction, deviceNames: readonly string[] = []): string | null {
  const [first, second, third] = parameter.split('.');
  if (first === 'code' && action === 'pair') return 'Pairing code';
  if (first === 'devices' && second !== undefined && /^\d+$/.test(second)) {
    const index = Number(second);
    const name = deviceNames[index];
    const device = `Device ${index + 1}${name ? ` "${name}"` : ''}`;
    const field = third === undefined ? undefined : DEVICE_FIELD_LABELS[third];
    return field === undefined ? device : `${device}, ${field}`;
  }
  return FIELD_LABELS[first ?? ''] ?? null;
}

/**
 * Rewrites a validation message of the edge node for the form: `cidr: cidr "10.0.0.0/16" covers …`
 * becomes `Network to scan: "10.0.0.0/16" covers …`. The field is `parameter`, or else the word
 * before the first colon. A message about a field the wizard does not know stays as it is.
 */
export function labelMessage(message: string, parameter: string | undefined, action: SetupAction, deviceNames: readonly string[] = []): string {
  const field = parameter ?? /^([A-Za-z][\w.]*): /.exec(message)?.[1];
  if (field === undefined) return message;
  const label = fieldLabel(field, action, deviceNames);
  if (label === null) return message;
  let rest = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  // Some messages name the field again as their first word, such as `cidr "…" covers …`.
  const lastSegment = field.split('.').at(-1)!;
  if (rest.toLowerCase().startsWith(`${lastSegment.toLowerCase()} `)) rest = rest.slice(lastSegment.length + 1);
  return `${label}: ${rest}`;
}
