import { z } from 'zod';
import { deviceKeySchema } from '../model/point';
import { unitSymbol } from '../model/units';

/**
 * Alarm rules. A rule watches one point (or, for `device_offline`, one device) and raises one alarm
 * at a time. The hub stores rules in `alarm_rules` and serves them to the edge in the `alarm_rules`
 * shape, with `condition` holding one of the conditions below. A standalone edge reads the same
 * rules from its site file. The edge evaluates them; the hub never does.
 */

export const alarmSeverities = ['info', 'warning', 'critical'] as const;
export const alarmSeveritySchema = z.enum(alarmSeverities);
export type AlarmSeverity = z.infer<typeof alarmSeveritySchema>;

const delaySeconds = z.number().min(0).max(86_400);

/** Fields every condition has. */
const conditionBase = {
  /** Seconds the condition must hold before the alarm is raised. */
  onDelayS: delaySeconds.default(0),
  /** Seconds the condition must stay gone before the alarm clears. */
  offDelayS: delaySeconds.default(0),
  /**
   * Message template. Placeholders: `{name}` (rule name), `{point}`, `{device}`, `{value}`, `{unit}`,
   * `{limit}` and `{severity}`. Without one, the edge uses a default per condition type.
   */
  message: z.string().min(1).max(500).optional(),
};

/**
 * A limit: `high` and `high_high` are active while the value is above `limit`, `low` and `low_low`
 * while it is below. Once active, the value must come back past `limit` by `deadband` to clear.
 */
export const limitConditionSchema = z.strictObject({
  type: z.enum(['high', 'high_high', 'low', 'low_low']),
  limit: z.number().finite(),
  deadband: z.number().finite().nonnegative().default(0),
  ...conditionBase,
});

/** Active while the value changes faster than `maxChangePerMinute` (either way), measured over `windowS`. */
export const rateOfChangeConditionSchema = z.strictObject({
  type: z.literal('rate_of_change'),
  maxChangePerMinute: z.number().finite().positive(),
  windowS: z.number().int().min(1).max(3_600).default(60),
  ...conditionBase,
});

/** Active while the point has had no good sample for `afterS` seconds. */
export const staleConditionSchema = z.strictObject({
  type: z.literal('stale'),
  afterS: z.number().int().min(1).max(7 * 86_400),
  ...conditionBase,
});

/**
 * Active while a device is offline. The device is the rule point's device, or `device` for a rule
 * without a point.
 */
export const deviceOfflineConditionSchema = z.strictObject({
  type: z.literal('device_offline'),
  device: deviceKeySchema.optional(),
  ...conditionBase,
});

/** Active while a digital or state point equals one of `values` (booleans for binary points). */
export const stateConditionSchema = z.strictObject({
  type: z.literal('state'),
  values: z.array(z.union([z.boolean(), z.number().finite(), z.string().max(200)])).min(1).max(100),
  ...conditionBase,
});

export const alarmConditionSchema = z.discriminatedUnion('type', [
  limitConditionSchema,
  rateOfChangeConditionSchema,
  staleConditionSchema,
  deviceOfflineConditionSchema,
  stateConditionSchema,
]);
export type AlarmCondition = z.infer<typeof alarmConditionSchema>;
export type AlarmConditionType = AlarmCondition['type'];

/**
 * One rule as the edge runs it, whether it came from the hub or the site file. `point` is the edge's
 * point id (`device.point`); null only for a `device_offline` rule that names its device.
 */
export const alarmRuleSchema = z
  .strictObject({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    severity: alarmSeveritySchema,
    enabled: z.boolean().default(true),
    point: z.string().min(1).max(200).nullable(),
    condition: alarmConditionSchema,
  })
  .refine((rule) => rule.point !== null || (rule.condition.type === 'device_offline' && rule.condition.device !== undefined), {
    message: 'a rule without a point must be a device_offline rule that names its device',
    path: ['point'],
  });
export type AlarmRule = z.infer<typeof alarmRuleSchema>;

/** Values a message template can show. */
export interface AlarmMessageValues {
  name: string;
  point: string;
  device: string;
  value: string;
  unit: string;
  limit: string;
  severity: string;
}

const defaultTemplates: Record<AlarmConditionType, string> = {
  high: '{name}: {point} is {value} {unit}, above {limit} {unit}',
  high_high: '{name}: {point} is {value} {unit}, above {limit} {unit}',
  low: '{name}: {point} is {value} {unit}, below {limit} {unit}',
  low_low: '{name}: {point} is {value} {unit}, below {limit} {unit}',
  rate_of_change: '{name}: {point} changes faster than {limit} {unit} per minute (now {value} {unit})',
  stale: '{name}: no good value from {point} for {limit} s',
  device_offline: '{name}: device {device} is offline',
  state: '{name}: {point} is {value}',
};

/** Fills a rule's message template, or its condition type's default; unknown placeholders stay as written. */
export function renderAlarmMessage(condition: AlarmCondition, values: AlarmMessageValues): string {
  const template = condition.message ?? defaultTemplates[condition.type];
  const shown: AlarmMessageValues = { ...values, unit: unitSymbol(values.unit) };
  return template
    .replace(/( ?)\{(\w+)\}/g, (whole, space: string, key: string) => {
      if (!(key in shown)) return whole;
      const value = shown[key as keyof AlarmMessageValues];
      // An empty value, such as the unit of a point without one, takes its leading space along, so no
      // gap is left before a comma or a bracket ("is 35, above 30", not "is 35 , above 30").
      return value === '' ? '' : `${space}${value}`;
    })
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Checks a condition's time settings against the poll interval of its device. A `stale` time or a
 * `rate_of_change` window shorter than two poll intervals would flap between samples or rarely hold two
 * samples. Returns the field and what is wrong, or undefined when the settings fit.
 */
export function pollIntervalProblem(
  condition: AlarmCondition,
  device: { key: string; pollIntervalMs: number },
): { field: 'afterS' | 'windowS'; message: string } | undefined {
  const intervalS = device.pollIntervalMs / 1000;
  const least = 2 * intervalS;
  const polls = `two poll intervals of device "${device.key}" (${intervalS} s)`;
  if (condition.type === 'stale' && condition.afterS < least) {
    return { field: 'afterS', message: `${condition.afterS} s is less than ${polls}, so the alarm would come and go between samples; use at least ${least}` };
  }
  if (condition.type === 'rate_of_change' && condition.windowS < least) {
    return { field: 'windowS', message: `${condition.windowS} s is less than ${polls}, so the window rarely contains two samples; use at least ${least}` };
  }
  return undefined;
}
