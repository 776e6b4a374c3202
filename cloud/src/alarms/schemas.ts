import { z } from '@hono/zod-openapi';
import {
  alarmConditionSchema,
  alarmHistoryFilterSchema,
  alarmSeveritySchema,
  alarmStatusSchema,
  alarmTransitionSchema,
  alarmUserActionSchema,
} from '@simtestlab/sync';
import { displayNameSchema } from '../api/text';

/*
 * The shared schemas get their OpenAPI names from zod's `.meta({ id })`, because `.openapi()` may be
 * missing on schemas that `sync` built before @hono/zod-openapi extended the prototype.
 */

export const alarmStatusModelSchema = alarmStatusSchema.meta({ id: 'AlarmStatus' });
const alarmConditionModelSchema = alarmConditionSchema.meta({ id: 'AlarmCondition' });

/** The edge's point id, `device.point`: a device key (no ".") and the point key after the first ".". */
const pointIdSchema = z
  .string()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'expected the edge point id "device.point", such as grid-meter.W');

export const alarmRuleBodySchema = z
  .strictObject({
    name: displayNameSchema,
    severity: alarmSeveritySchema,
    enabled: z.boolean().default(true),
    point: pointIdSchema.nullable().openapi({ description: 'Point of the site as `device.point`; null only for a device_offline rule that names its device' }),
    condition: alarmConditionModelSchema,
  })
  .openapi('AlarmRuleBody');
export type AlarmRuleBody = z.infer<typeof alarmRuleBodySchema>;

export const alarmRulePatchSchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    severity: alarmSeveritySchema.optional(),
    enabled: z.boolean().optional(),
    point: pointIdSchema.nullable().optional(),
    condition: alarmConditionModelSchema.optional(),
  })
  .openapi('AlarmRulePatch');
export type AlarmRulePatch = z.infer<typeof alarmRulePatchSchema>;

export const alarmRuleSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    name: z.string(),
    severity: alarmSeveritySchema,
    enabled: z.boolean(),
    point: z.string().nullable(),
    pointId: z.string().nullable(),
    condition: alarmConditionModelSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AlarmRule');
export type AlarmRuleModel = z.infer<typeof alarmRuleSchema>;

export const alarmRuleListSchema = z.object({ rules: z.array(alarmRuleSchema) }).openapi('AlarmRuleList');

export const activeAlarmsSchema = z.object({ siteId: z.string(), alarms: z.array(alarmStatusModelSchema) }).openapi('ActiveAlarms');

/** Action names in the URL: the user actions, with "-" in place of "_" (`remove-from-service`); "_" is accepted too. */
export const alarmActionParamSchema = z
  .string()
  .transform((value, context) => {
    const parsed = alarmUserActionSchema.safeParse(value.replaceAll('-', '_'));
    if (!parsed.success) {
      context.addIssue({
        code: 'custom',
        message: `unknown alarm action "${value.slice(0, 40)}": use acknowledge, shelve, unshelve, comment, remove-from-service or return-to-service`,
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .openapi({ param: { name: 'action', in: 'path' }, example: 'acknowledge' });

export const alarmActionAcceptedSchema = z
  .object({
    /** The id under which the edge applies the request; the edge's result is stored with the request. */
    requestId: z.string(),
    siteId: z.string(),
    ruleId: z.string(),
    action: alarmUserActionSchema,
    /** True for an acknowledgement of an occurrence the hub had already recorded as acknowledged. */
    duplicate: z.boolean(),
    message: z.string(),
    /** The alarm as the hub has it now; the edge's transition follows with its next upload. */
    alarm: alarmStatusModelSchema,
  })
  .openapi('AlarmActionAccepted');

/** One transition in the history: the edge's transition, its site, and when the hub recorded it. */
export const alarmHistoryEntrySchema = alarmTransitionSchema
  .extend({ siteId: z.string(), recordedAt: z.number().int() })
  .meta({ id: 'AlarmHistoryEntry' });
export type AlarmHistoryEntry = z.infer<typeof alarmHistoryEntrySchema>;

export const alarmHistorySchema = z
  .object({
    transitions: z.array(alarmHistoryEntrySchema),
    /** True when more transitions matched than `limit`; narrow the range to see the older ones. */
    truncated: z.boolean(),
  })
  .openapi('AlarmHistory');

const historyQueryShape = {
  ...alarmHistoryFilterSchema.shape,
  siteId: z.string().optional().openapi({ description: 'One site; without it, every site the caller may see' }),
};

export const alarmHistoryQuerySchema = z.strictObject(historyQueryShape);
export type AlarmHistoryQuery = z.infer<typeof alarmHistoryQuerySchema>;

/** Largest CSV export of the alarm history; the X-Export-Truncated header marks an export that left out older transitions. */
export const MAX_ALARM_EXPORT_ROWS = 100_000;

export const alarmHistoryCsvQuerySchema = z.strictObject({
  ...historyQueryShape,
  limit: z.coerce.number().int().min(1).max(MAX_ALARM_EXPORT_ROWS).default(MAX_ALARM_EXPORT_ROWS),
});
