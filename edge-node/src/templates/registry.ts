import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { FileDevice } from '../config/schema';
import { expandBacnetTemplate } from '../drivers/bacnet/bacnet-template';
import { resolveRegisterNumber, resolveTemplate, type DeviceTemplate } from './template-file';
import { assetPath } from '../runtime/install-paths';

export type { DeviceTemplate } from './template-file';

/** Folder of the device template files (`<name>.yaml`). */
export const templateDir = assetPath('templates/');

const modbusDrivers = new Set(['modbus-tcp', 'modbus-rtu']);
const cache = new Map<string, DeviceTemplate>();

/** Returns the names of the shipped device templates (file names without `.yaml`), sorted. */
export function listTemplates(): string[] {
  return readdirSync(templateDir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Loads a device template with its points converted to 0-based protocol addresses. Throws an Error
 * that lists the known names when the template does not exist, or names the bad field when the file
 * is invalid. Templates are parsed once and cached; treat the result as read-only.
 */
export function loadTemplate(name: string): DeviceTemplate {
  const cached = cache.get(name);
  if (cached) return cached;
  const known = listTemplates();
  if (!known.includes(name)) {
    throw new Error(`unknown device template "${name}"; known templates: ${known.join(', ')}`);
  }
  const text = readFileSync(`${templateDir}${name}.yaml`, 'utf8');
  const template = resolveTemplate(name, parseYaml(text));
  cache.set(name, template);
  return template;
}

function explicitPoints(device: FileDevice): Record<string, unknown>[] {
  if (device.addressing === 'protocol') return device.points;
  if (!modbusDrivers.has(device.driver)) {
    throw new Error(`addressing "register-number" applies to Modbus devices only, not to driver "${device.driver}"`);
  }
  return device.points.map((point, index) => {
    const where = `points[${index}]${typeof point.key === 'string' ? ` (${point.key})` : ''}`;
    return resolveRegisterNumber(point, where);
  });
}

/** Template points first, in template order; an explicit point with the same key takes its place. */
function mergePoints(
  templatePoints: readonly Record<string, unknown>[],
  explicit: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  const explicitByKey = new Map(explicit.map((point) => [point.key, point]));
  const merged = templatePoints.map((point) => explicitByKey.get(point.key) ?? point);
  const templateKeys = new Set(templatePoints.map((point) => point.key));
  return [...merged, ...explicit.filter((point) => !templateKeys.has(point.key))];
}

function withConnectionDefaults(connection: unknown, template: DeviceTemplate): unknown {
  if (typeof connection !== 'object' || connection === null) return connection;
  const defaults: Record<string, unknown> = {};
  if (template.acceptUnitIds !== undefined) defaults.acceptUnitIds = template.acceptUnitIds;
  if (template.maxBlockRegisters !== undefined) defaults.maxBlockRegisters = template.maxBlockRegisters;
  return { ...defaults, ...connection };
}

/**
 * Expands a site-file device into the shape of the shared device model: the template's points and
 * connection defaults merged with the explicit ones, register numbers turned into protocol addresses,
 * and `sunspec` set for SunSpec templates. The result is validated by the caller. Throws an Error
 * naming the template or point when that fails; an unknown template's message lists the known names.
 */
export function expandDeviceTemplate(device: FileDevice): Record<string, unknown> {
  const { template: templateName, addressing: _addressing, ...rest } = device;
  const points = explicitPoints(device);
  if (templateName === undefined) return { ...rest, points };

  if (device.driver === 'bacnet') return expandBacnetTemplate({ ...rest, template: templateName, points });
  if (!modbusDrivers.has(device.driver)) {
    throw new Error(`template "${templateName}" is a Modbus template; driver "${device.driver}" cannot use it`);
  }
  const template = loadTemplate(templateName);
  const expanded: Record<string, unknown> = {
    ...rest,
    connection: withConnectionDefaults(rest.connection, template),
    points: mergePoints(template.points, points),
  };
  if (template.sunspec !== undefined) {
    const explicitSunspec = typeof rest.sunspec === 'object' && rest.sunspec !== null ? rest.sunspec : {};
    expanded.sunspec = { ...template.sunspec, ...explicitSunspec };
  }
  return expanded;
}
