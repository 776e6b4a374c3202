import { readFileSync } from 'node:fs';
import { deviceSchema, driverNames, parsePointId, pollIntervalProblem, type Device } from '@simtestlab/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { expandDeviceTemplate } from '../templates/registry';
import { siteFileSchema, type FileDevice, type SiteConfig } from './schema';
import { checkVirtualMeterFormulas } from './virtual-meter-check';

/** A site file that cannot be used; `issues` lists every bad field as `path: problem`. */
export class ConfigError extends Error {
  readonly issues: string[];

  constructor(source: string, issues: string[]) {
    super(`invalid site configuration in ${source}:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Formats a zod issue path as `devices[2].points[5].wordOrder`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(root)' : text;
}

/** Shows a rejected value in a message, shortened so a large subtree does not flood the output. */
function shown(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    const expected = `expected ${issue.values.map((value) => JSON.stringify(value)).join(' | ')}`;
    return issue.input === undefined ? expected : `${expected}, got ${shown(issue.input)}`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    return `${issue.message}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  }
  return issue.message;
}

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${describeIssue(issue)}`);
}

function resolveDevice(file: FileDevice, index: number, issues: string[]): Device | undefined {
  if (!(driverNames as readonly string[]).includes(file.driver)) {
    issues.push(`devices[${index}].driver: expected ${driverNames.map((name) => JSON.stringify(name)).join(' | ')}, got ${JSON.stringify(file.driver)}`);
    return undefined;
  }
  let expanded: Record<string, unknown>;
  try {
    expanded = expandDeviceTemplate(file);
  } catch (error) {
    issues.push(`devices[${index}]: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = deviceSchema.safeParse(expanded, { reportInput: true });
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, ['devices', index]));
    return undefined;
  }
  return parsed.data;
}

/**
 * Checks that each alarm rule names a device of the site and, for a device with a fixed point list, a
 * point of it. Points of a SunSpec device are known only after discovery, so they are not checked.
 */
function checkAlarmRules(rules: SiteConfig['alarms'], devices: readonly Device[], issues: string[]): void {
  const deviceKeys = devices.map((device) => device.key).join(', ') || 'none';
  rules.forEach((rule, index) => {
    const parsed = rule.point === null ? undefined : parsePointId(rule.point);
    if (rule.point !== null && parsed === undefined) {
      issues.push(`alarms[${index}].point: "${rule.point}" is not a point id; write device.point, such as grid-meter.m203.W`);
      return;
    }
    const deviceKey = parsed?.device ?? (rule.condition.type === 'device_offline' ? rule.condition.device : undefined);
    const field = parsed ? 'point' : 'condition.device';
    const device = devices.find((candidate) => candidate.key === deviceKey);
    if (device === undefined) {
      issues.push(`alarms[${index}].${field}: the site has no device "${deviceKey}"; devices: ${deviceKeys}`);
      return;
    }
    const timing = pollIntervalProblem(rule.condition, device);
    if (timing) issues.push(`alarms[${index}].condition.${timing.field}: ${timing.message}`);
    const discovered = 'sunspec' in device && device.sunspec !== undefined;
    if (parsed && !discovered && !device.points.some((point) => point.key === parsed.point)) {
      issues.push(`alarms[${index}].point: device "${device.key}" has no point "${parsed.point}"; check the spelling against its points or template`);
    }
  });
}

/** Validates a parsed site document and resolves every device's template and addressing. */
export function resolveSiteConfig(document: unknown, source = 'site configuration'): SiteConfig {
  const file = siteFileSchema.safeParse(document, { reportInput: true });
  if (!file.success) throw new ConfigError(source, zodIssues(file.error));

  const issues: string[] = [];
  const devices: Device[] = [];
  const seen = new Set<string>();
  file.data.devices.forEach((fileDevice, index) => {
    if (seen.has(fileDevice.key)) issues.push(`devices[${index}].key: duplicate device key "${fileDevice.key}"`);
    seen.add(fileDevice.key);
    // Checked before the template merge, which keeps one of two explicit points with the same key
    // when a template point has that key, and so would hide the duplicate.
    const pointKeys = new Set<string>();
    fileDevice.points.forEach((point, pointIndex) => {
      if (typeof point.key !== 'string') return;
      if (pointKeys.has(point.key)) issues.push(`devices[${index}].points[${pointIndex}].key: duplicate point key "${point.key}"`);
      pointKeys.add(point.key);
    });
    const device = resolveDevice(fileDevice, index, issues);
    if (device) devices.push(device);
  });
  const bacnetByPort = new Map<number, { index: number; localAddress: string }>();
  devices.forEach((device) => {
    if (device.driver !== 'bacnet') return;
    const index = file.data.devices.findIndex((candidate) => candidate.key === device.key);
    const { localPort, localAddress } = device.connection;
    const first = bacnetByPort.get(localPort);
    if (!first) bacnetByPort.set(localPort, { index, localAddress });
    else if (first.localAddress !== localAddress) {
      issues.push(
        `devices[${index}].connection.localAddress: "${localAddress}" differs from "${first.localAddress}" of devices[${first.index}] on the same localPort ${localPort}; devices on one UDP port share one client, so use the same localAddress or another localPort`,
      );
    }
  });
  devices.forEach((device) => {
    if (device.driver !== 'mqtt' || device.connection.url !== undefined || file.data.mqtt !== undefined) return;
    const index = file.data.devices.findIndex((candidate) => candidate.key === device.key);
    issues.push(`devices[${index}].connection.url: missing: the MQTT device names no broker and the site has no mqtt.url; set one of them`);
  });
  checkAlarmRules(file.data.alarms, devices, issues);
  checkVirtualMeterFormulas(file.data.energy?.virtualMeters ?? [], devices, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);
  return { ...file.data, devices };
}

const variablePattern = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in string values with environment variables, so one site
 * file serves several deployments (hosts in a compose network, a broker URL). An unset variable
 * without a default is an error naming it.
 */
export function substituteEnvironment(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[] = [], issues: string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(variablePattern, (match, name: string, fallback: string | undefined) => {
      const resolved = env[name] ?? fallback;
      if (resolved === undefined) {
        issues.push(`${formatPath(path)}: environment variable ${name} is not set and ${match} has no default (write \${${name}:-value})`);
        return match;
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnvironment(item, env, [...path, index], issues));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnvironment(item, env, [...path, key], issues)]));
  }
  return value;
}

/** Reads a YAML or JSON site file (JSON is valid YAML) and resolves it. */
export function loadSiteConfig(path: string): SiteConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(path, [`not valid YAML or JSON: ${(error as Error).message}`]);
  }
  const issues: string[] = [];
  const substituted = substituteEnvironment(document, process.env, [], issues);
  if (issues.length > 0) throw new ConfigError(path, issues);
  return resolveSiteConfig(substituted, path);
}
