import { z } from 'zod';
import { epochMsSchema } from '../upload/upload-batch';
import { alarmSeveritySchema } from './alarm-rule';

/**
 * Alarm states after ISA-18.2. The process part: `normal`, `active_unack`, `active_ack`,
 * `cleared_unack` (back to `normal` once acknowledged). Beside it, an operator may shelve an alarm
 * until a time, or take it out of service until returned. While `shelved` or `out_of_service` the
 * condition is still evaluated but nothing is announced. On return the alarm takes the state its
 * condition has then (`active_unack` or `normal`).
 */
export const alarmStates = ['normal', 'active_unack', 'active_ack', 'cleared_unack', 'shelved', 'out_of_service'] as const;
export const alarmStateSchema = z.enum(alarmStates);
export type AlarmState = z.infer<typeof alarmStateSchema>;

/**
 * Causes of a transition: the condition (`raise`, `clear`), a user (`acknowledge` to `return_to_service`),
 * or the clock (`shelve_expired`). `comment` adds a note without a state change. An acknowledgement of an
 * alarm already acknowledged is kept in the history the same way, with `from` equal to `to`.
 */
export const alarmTransitionActions = [
  'raise',
  'clear',
  'acknowledge',
  'shelve',
  'unshelve',
  'shelve_expired',
  'remove_from_service',
  'return_to_service',
  'comment',
] as const;
export const alarmTransitionActionSchema = z.enum(alarmTransitionActions);
export type AlarmTransitionAction = z.infer<typeof alarmTransitionActionSchema>;

/** Actions a user may ask for, on the edge or from the hub. */
export const alarmUserActions = ['acknowledge', 'shelve', 'unshelve', 'comment', 'remove_from_service', 'return_to_service'] as const;
export const alarmUserActionSchema = z.enum(alarmUserActions);
export type AlarmUserAction = z.infer<typeof alarmUserActionSchema>;

/** Author of an action: the user id, a display name, and the side where the action was taken. */
export const alarmActorSchema = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().max(200),
  origin: z.enum(['edge', 'cloud']),
});
export type AlarmActor = z.infer<typeof alarmActorSchema>;

const value = z.union([z.number(), z.boolean(), z.string(), z.null()]);

/**
 * One transition of one alarm, as the edge stores it and uploads it as an `alarm` event (the event id
 * is `id`). `occurrence` names one activation: it is set when the alarm is raised and kept until the
 * alarm is back to normal, so a late acknowledgement cannot acknowledge a later activation. `seq`
 * orders one edge's transitions.
 */
export const alarmTransitionSchema = z.strictObject({
  id: z.uuid(),
  seq: z.number().int().positive(),
  ruleId: z.string().min(1).max(100),
  occurrence: z.uuid().nullable(),
  action: alarmTransitionActionSchema,
  from: alarmStateSchema,
  to: alarmStateSchema,
  at: epochMsSchema,
  /** The point's value when it happened, where the rule has a point. */
  value,
  severity: alarmSeveritySchema,
  /** The rendered message of the activation. */
  message: z.string().max(1_000),
  point: z.string().max(200).nullable(),
  device: z.string().max(100).nullable(),
  user: alarmActorSchema.nullable(),
  comment: z.string().max(2_000).nullable(),
  /** Until when a `shelve` lasts. */
  shelvedUntil: epochMsSchema.nullable(),
  /** The hub's request id when the action came from the hub, so a request resent is applied once. */
  requestId: z.uuid().nullable(),
});
export type AlarmTransition = z.infer<typeof alarmTransitionSchema>;

/** The current state of one rule's alarm, as the REST APIs return it. */
export const alarmStatusSchema = z.strictObject({
  ruleId: z.string(),
  siteId: z.string(),
  name: z.string(),
  severity: alarmSeveritySchema,
  point: z.string().nullable(),
  device: z.string().nullable(),
  state: alarmStateSchema,
  /** Whether the condition is active now, also while shelved or out of service. */
  conditionActive: z.boolean(),
  occurrence: z.uuid().nullable(),
  message: z.string(),
  value,
  /** When the current activation was raised. */
  activeSince: z.number().int().nullable(),
  acknowledgedAt: z.number().int().nullable(),
  acknowledgedBy: alarmActorSchema.nullable(),
  shelvedUntil: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export type AlarmStatus = z.infer<typeof alarmStatusSchema>;

/** Body of a user's alarm action on either REST API (`POST .../alarms/{ruleId}/{action}`). */
export const alarmActionBodySchema = z.strictObject({
  /** Required for `acknowledge`: the activation the user saw. */
  occurrence: z.uuid().optional(),
  comment: z.string().trim().min(1).max(2_000).optional(),
  /** Required for `shelve`: until when, epoch ms UTC, at most 7 days ahead. */
  shelvedUntil: epochMsSchema.optional(),
});
export type AlarmActionBody = z.infer<typeof alarmActionBodySchema>;

/** Maximum shelve duration: 7 days. */
export const MAX_SHELVE_MS = 7 * 86_400_000;

/** Reasons an alarm action was not applied. */
export const alarmActionErrorCodes = [
  'not_permitted',
  'unknown_alarm',
  /** The activation named is over; the alarm was raised again since or is normal. */
  'stale_occurrence',
  /** The action does not apply in the alarm's state, such as shelving an alarm out of service. */
  'invalid_state',
  'invalid_request',
] as const;
export const alarmActionErrorCodeSchema = z.enum(alarmActionErrorCodes);

/** Outcome of an alarm action. `duplicate` is true for an acknowledgement of an alarm already acknowledged, kept only in the history. */
export const alarmActionResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), transition: alarmTransitionSchema, duplicate: z.boolean() }),
  z.strictObject({ ok: z.literal(false), code: alarmActionErrorCodeSchema, message: z.string() }),
]);
export type AlarmActionResult = z.infer<typeof alarmActionResultSchema>;

/** One alarm change, as live streams send it: the transition and the alarm's state after it. */
export const alarmChangeSchema = z.strictObject({
  alarm: alarmStatusSchema,
  transition: alarmTransitionSchema,
});
export type AlarmChange = z.infer<typeof alarmChangeSchema>;

/** Filters of the alarm history on both REST APIs (query string). Times are ISO 8601 or epoch ms. */
export const alarmHistoryFilterSchema = z.strictObject({
  device: z.string().max(100).optional(),
  point: z.string().max(200).optional(),
  ruleId: z.string().max(100).optional(),
  severity: alarmSeveritySchema.optional(),
  /** The state after the transition. */
  state: alarmStateSchema.optional(),
  action: alarmTransitionActionSchema.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});
export type AlarmHistoryFilter = z.infer<typeof alarmHistoryFilterSchema>;
