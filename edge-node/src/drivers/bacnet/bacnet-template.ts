import { readdirSync, readFileSync } from 'node:fs';
import { bacnetPointSchema, type BacnetPoint } from '@simtestlab/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { assetPath } from '../../runtime/install-paths';

/**
 * BACnet device templates (`templates/bacnet/<name>.yaml`): a device's objects as points, with the
 * object type and instance, property, unit and scale of each, in the shape of the shared BACnet
 * point model.
 */

/** Folder of the BACnet templates. */
export const bacnetTemplateDir = assetPath('templates/bacnet/');

export const bacnetTemplateFileSchema = z.strictObject({
  title: z.string().min(1),
  manufacturer: z.string().min(1),
  /** The document or object list the points follow. */
  document: z.string().min(1),
  /** Fields every point gets unless it sets them itself. */
  pointDefaults: z.record(z.string(), z.unknown()).default({}),
  points: z.array(z.record(z.string(), z.unknown())).min(1),
});

/** A BACnet template with its points validated. */
export interface BacnetTemplate {
  name: string;
  title: string;
  manufacturer: string;
  document: string;
  points: BacnetPoint[];
}

const cache = new Map<string, BacnetTemplate>();

/** Returns the names of the shipped BACnet templates, sorted. */
export function listBacnetTemplates(): string[] {
  return readdirSync(bacnetTemplateDir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/** Validates a parsed template file. Throws an Error naming the template and the bad field. */
export function resolveBacnetTemplate(name: string, document: unknown): BacnetTemplate {
  const parsed = bacnetTemplateFileSchema.safeParse(document);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid BACnet template "${name}": ${issues.join('; ')}`);
  }
  const file = parsed.data;
  const points = file.points.map((raw, index) => {
    const result = bacnetPointSchema.safeParse({ ...file.pointDefaults, ...raw });
    if (!result.success) {
      const where = `BACnet template "${name}" points[${index}]${typeof raw.key === 'string' ? ` (${raw.key})` : ''}`;
      throw new Error(`${where}: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(point)'}: ${issue.message}`).join('; ')}`);
    }
    return result.data;
  });
  return { name, title: file.title, manufacturer: file.manufacturer, document: file.document, points };
}

/** Loads a BACnet template, parsed once and cached. Throws an Error listing the known names when it does not exist. */
export function loadBacnetTemplate(name: string): BacnetTemplate {
  const cached = cache.get(name);
  if (cached) return cached;
  const known = listBacnetTemplates();
  if (!known.includes(name)) throw new Error(`unknown BACnet template "${name}"; known templates: ${known.join(', ')}`);
  const template = resolveBacnetTemplate(name, parseYaml(readFileSync(`${bacnetTemplateDir}${name}.yaml`, 'utf8')));
  cache.set(name, template);
  return template;
}

/**
 * Expands a site-file BACnet device that names a template: the template's points first, in template
 * order, an explicit point with the same key in place of the template's, then the other explicit
 * points. Returns the device without `template`, for the caller to validate.
 */
export function expandBacnetTemplate(device: Record<string, unknown> & { template: string; points?: Record<string, unknown>[] }): Record<string, unknown> {
  const { template: name, points: explicit = [], ...rest } = device;
  const template = loadBacnetTemplate(name);
  const explicitByKey = new Map(explicit.map((point) => [point.key, point]));
  const templateKeys = new Set(template.points.map((point) => point.key));
  const points = [
    ...template.points.map((point) => explicitByKey.get(point.key) ?? point),
    ...explicit.filter((point) => typeof point.key !== 'string' || !templateKeys.has(point.key)),
  ];
  return { ...rest, points };
}
