import { alarmActorSchema, alarmSeveritySchema, alarmStateSchema, alarmTransitionActionSchema, type AlarmSeverity } from '@simtestlab/sync';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Events a webhook may subscribe to. */
export const webhookEventTypes = ['alarm.raised', 'alarm.acknowledged', 'alarm.cleared', 'alarm.escalated'] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** The event of `POST .../webhooks/{id}/test`, which no subscription selects. */
export const TEST_EVENT = 'webhook.test';

const severityRank: Record<AlarmSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** Checks whether an alarm of `severity` passes a webhook's minimum severity. */
export function meetsSeverity(severity: AlarmSeverity, minSeverity: AlarmSeverity): boolean {
  return severityRank[severity] >= severityRank[minSeverity];
}

/** The alarm an event is about, as the hub knew it when the event was queued. Times are epoch ms UTC. */
const webhookAlarmSchema = z.strictObject({
  siteId: z.uuid(),
  /** Null when the site was deleted before the event was queued. */
  siteName: z.string().nullable(),
  ruleId: z.string(),
  /** The rule's name; null when the hub has no current state for the rule yet. */
  name: z.string().nullable(),
  severity: alarmSeveritySchema,
  state: alarmStateSchema,
  occurrence: z.uuid().nullable(),
  message: z.string(),
  point: z.string().nullable(),
  device: z.string().nullable(),
  value: z.union([z.number(), z.boolean(), z.string(), z.null()]),
  activeSince: z.number().int().nullable(),
});
export type WebhookAlarm = z.infer<typeof webhookAlarmSchema>;

/**
 * The JSON body of every webhook request. `eventKey` is the same for every webhook and every attempt
 * of one event, so a receiver can drop repeats with it. The X-EMS-Delivery header names one delivery.
 */
export const webhookPayloadSchema = z.strictObject({
  type: z.union([webhookEventTypeSchema, z.literal(TEST_EVENT)]),
  eventKey: z.string(),
  organizationId: z.uuid(),
  /** When the event happened: the transition's time on the edge, or when the hub escalated. */
  at: z.number().int(),
  /** Null for the test event. */
  alarm: webhookAlarmSchema.nullable(),
  /** The transition behind `alarm.raised`, `alarm.acknowledged` and `alarm.cleared`. */
  transition: z
    .strictObject({
      id: z.uuid(),
      action: alarmTransitionActionSchema,
      from: alarmStateSchema,
      to: alarmStateSchema,
      user: alarmActorSchema.nullable(),
      comment: z.string().nullable(),
    })
    .nullable(),
  /** For `alarm.escalated`: the webhook's minutes without acknowledgement that triggered it. */
  escalationMinutes: z.number().int().nullable(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** Builds the body of a test event; each test is a new event. */
export function testPayload(organizationId: string, nowMs: number): WebhookPayload {
  return {
    type: TEST_EVENT,
    eventKey: `test:${randomUUID()}`,
    organizationId,
    at: nowMs,
    alarm: null,
    transition: null,
    escalationMinutes: null,
  };
}
