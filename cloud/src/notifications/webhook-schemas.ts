import { z } from '@hono/zod-openapi';
import { alarmSeveritySchema } from '@simtestlab/sync';
import { displayNameSchema } from '../api/text';
import { webhookEventTypeSchema } from './webhook-event';

/** Maximum escalation delay: 7 days, in minutes. */
export const MAX_ESCALATION_MINUTES = 10_080;

export const webhookSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    name: z.string(),
    url: z.string(),
    enabled: z.boolean(),
    events: z.array(webhookEventTypeSchema),
    minSeverity: alarmSeveritySchema,
    escalationMinutes: z.number().int().nullable().openapi({
      description: 'Minutes an alarm may stay unacknowledged before `alarm.escalated` is sent, once per activation; null sends none.',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook');

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) }).openapi('WebhookList');

export const webhookWithSecretSchema = z
  .object({
    webhook: webhookSchema,
    secret: z.string().openapi({
      description: 'The HMAC-SHA256 key of the X-EMS-Signature header. Only this response contains it; rotate it to get a new one.',
    }),
  })
  .openapi('WebhookWithSecret');

const urlField = z.string().trim().min(1).max(2_000).openapi({ example: 'https://alerts.example.com/ems' });
const eventsField = z.array(webhookEventTypeSchema).min(1).max(4).refine((events) => new Set(events).size === events.length, 'must not repeat an event');
const escalationField = z.number().int().min(1).max(MAX_ESCALATION_MINUTES).nullable();

export const createWebhookBodySchema = z
  .strictObject({
    name: displayNameSchema,
    url: urlField,
    enabled: z.boolean().optional(),
    /** Defaults to `alarm.raised`, plus `alarm.escalated` when `escalationMinutes` is set. */
    events: eventsField.optional(),
    minSeverity: alarmSeveritySchema.optional(),
    escalationMinutes: escalationField.optional(),
  })
  .openapi('CreateWebhook');

export const updateWebhookBodySchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    url: urlField.optional(),
    enabled: z.boolean().optional(),
    events: eventsField.optional(),
    minSeverity: alarmSeveritySchema.optional(),
    escalationMinutes: escalationField.optional(),
  })
  .openapi('UpdateWebhook');

export const deliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']);

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.string(),
    eventKey: z.string(),
    status: deliveryStatusSchema.openapi({ description: '`failed` once the hub gave up retrying.' }),
    attempts: z.number().int(),
    /** Null once the delivery is delivered or given up. */
    nextAttemptAt: z.string().nullable(),
    lastStatus: z.number().int().nullable().openapi({ description: 'HTTP status of the last attempt; null when it got no response.' }),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    givenUpAt: z.string().nullable(),
    createdAt: z.string(),
    payload: z.unknown().openapi({ description: 'The JSON body sent.' }),
  })
  .openapi('WebhookDelivery');

export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) }).openapi('WebhookDeliveryList');

export const deliveryQuerySchema = z.object({
  status: deliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
