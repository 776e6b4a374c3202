import type { DeviceProtocol, FoundDevice, SetupDeviceRequest, SetupTemplate } from './setup-types';

/** One device in the wizard's table: found by the scan or added by hand, with the installer's choices. */
export interface DeviceRow {
  /** The scan's key of a found device; `manual-<n>` for a device added by hand. */
  key: string;
  selected: boolean;
  name: string;
  template: string;
  protocol: DeviceProtocol;
  /** Host name or IPv4 address: the Modbus host, or the BACnet device's address. */
  host: string;
  port: number;
  unitId?: number;
  deviceInstance?: number;
  /** Description of the device from its own identification, for the table. */
  details: string;
  suggestedTemplates: string[];
}

/** Builds a name for a found device from its identification; the installer may change it. */
function defaultName(found: FoundDevice): string {
  if (found.protocol === 'bacnet') return found.objectName.trim() || `BACnet device ${found.deviceInstance}`;
  const sunspec = found.sunspec;
  if (sunspec === null) return `Modbus device ${found.host} unit ${found.unitId}`;
  return [sunspec.manufacturer, sunspec.model].map((part) => part.trim()).filter(Boolean).join(' ') || `SunSpec device ${found.host} unit ${found.unitId}`;
}

function detailsOf(found: FoundDevice): string {
  if (found.protocol === 'bacnet') {
    return [`BACnet device ${found.deviceInstance}`, found.vendorName || `vendor ${found.vendorId}`, found.modelName].filter(Boolean).join(', ');
  }
  const sunspec = found.sunspec;
  if (sunspec === null) return 'Modbus device without SunSpec';
  const parts = [`SunSpec ${sunspec.manufacturer} ${sunspec.model}`.trim(), sunspec.serialNumber ? `serial ${sunspec.serialNumber}` : '', sunspec.version ? `version ${sunspec.version}` : ''];
  return `${parts.filter(Boolean).join(', ')}; models ${sunspec.models.join(', ')}`;
}

/**
 * Returns the template to preselect for a found device: its first suggestion, except for a Modbus
 * device without SunSpec. Such a device does not identify its model, so any preselection would be a
 * guess, and the installer chooses the template.
 */
function preselectedTemplate(found: FoundDevice): string {
  if (found.protocol === 'modbus-tcp' && found.sunspec === null) return '';
  return found.suggestedTemplates[0] ?? '';
}

/** Turns a scan result into a table row, not selected, with the template of `preselectedTemplate`. */
export function rowFromFound(found: FoundDevice): DeviceRow {
  const common = {
    key: found.key,
    selected: false,
    name: defaultName(found),
    template: preselectedTemplate(found),
    details: detailsOf(found),
    suggestedTemplates: found.suggestedTemplates,
  };
  if (found.protocol === 'bacnet') return { ...common, protocol: 'bacnet', host: found.address, port: found.port, deviceInstance: found.deviceInstance };
  return { ...common, protocol: 'modbus-tcp', host: found.host, port: found.port, unitId: found.unitId };
}

/** Builds a key from a device's address, so a device saved earlier matches its scan result. */
function addressKey(row: Pick<DeviceRow, 'protocol' | 'host' | 'port' | 'unitId' | 'deviceInstance'>): string {
  return row.protocol === 'bacnet' ? `bacnet ${row.host}:${row.port} ${row.deviceInstance}` : `modbus ${row.host}:${row.port} ${row.unitId ?? 1}`;
}

/**
 * Adds the devices of a scan to the table. A device already in the table, by scan key or by address,
 * keeps the installer's choices, so polling a running scan or scanning again never undoes an edit.
 */
export function mergeFound(rows: readonly DeviceRow[], found: readonly FoundDevice[]): DeviceRow[] {
  const keys = new Set(rows.map((row) => row.key));
  const addresses = new Set(rows.map(addressKey));
  const added = found.map(rowFromFound).filter((row) => !keys.has(row.key) && !addresses.has(addressKey(row)));
  return added.length === 0 ? [...rows] : [...rows, ...added];
}

/** Lists the template choices of one row: its suggested templates first, in the scan's order, then the other templates of its protocol by name. */
export function templateChoices(templates: readonly SetupTemplate[], protocol: DeviceProtocol, suggested: readonly string[]): { suggested: SetupTemplate[]; others: SetupTemplate[] } {
  const byId = new Map(templates.map((template) => [template.id, template]));
  const first = suggested.map((id) => byId.get(id)).filter((template): template is SetupTemplate => template !== undefined);
  const firstIds = new Set(first.map((template) => template.id));
  const others = templates
    .filter((template) => !firstIds.has(template.id) && template.protocol === protocol)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { suggested: first, others };
}

/** A problem with a selected row, naming the device and the field. */
export interface RowProblem {
  key: string;
  field: 'name' | 'template';
  message: string;
}

/** Checks the selected rows before they are saved: each needs a name and a template, and names must differ. */
export function checkSelectedRows(rows: readonly DeviceRow[]): RowProblem[] {
  const problems: RowProblem[] = [];
  const seen = new Map<string, string>();
  for (const row of rows.filter((candidate) => candidate.selected)) {
    const name = row.name.trim();
    const where = `${row.host}:${row.port}`;
    if (name === '') problems.push({ key: row.key, field: 'name', message: `The device at ${where} has no name. Enter a name, such as "Grid meter".` });
    else if (seen.has(name.toLowerCase())) problems.push({ key: row.key, field: 'name', message: `The name "${name}" is already used by the device at ${seen.get(name.toLowerCase())}. Give each device its own name.` });
    else seen.set(name.toLowerCase(), where);
    if (row.template === '') problems.push({ key: row.key, field: 'template', message: `The device "${name || where}" has no template. Choose the template that matches its model.` });
  }
  return problems;
}

/**
 * Builds the body of `POST /api/setup/devices` from the selected rows. The row key is the scan's and
 * is not sent, because the edge node derives each device key of the site file from the name.
 */
export function toDeviceRequests(rows: readonly DeviceRow[]): SetupDeviceRequest[] {
  return rows
    .filter((row) => row.selected)
    .map((row) => {
      const base = { name: row.name.trim(), template: row.template, port: row.port };
      if (row.protocol === 'bacnet') return { ...base, protocol: 'bacnet' as const, address: row.host, deviceInstance: row.deviceInstance };
      return { ...base, protocol: 'modbus-tcp' as const, host: row.host, unitId: row.unitId };
    });
}
