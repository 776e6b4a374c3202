import { z } from 'zod';
import { deviceStatusSchema, sampleSchema } from '../model/sample';
import { alarmChangeSchema } from '../alarms/alarm-state';

/**
 * Messages of the live stream (`GET /ws` on the edge node, and later on the cloud hub). Every frame is
 * one JSON object with a `type`. Both sides validate what they receive against these schemas.
 */

const idList = z.array(z.string().min(1).max(200)).max(10_000);

export const subscribeMessageSchema = z.object({
  type: z.literal('subscribe'),
  /** Point ids (`device.point`). */
  points: idList.default([]),
  /** Device keys: every point of each device. */
  devices: idList.default([]),
});

export const unsubscribeMessageSchema = z.object({
  type: z.literal('unsubscribe'),
  points: idList.default([]),
  devices: idList.default([]),
});

export const pingMessageSchema = z.object({
  type: z.literal('ping'),
  id: z.string().max(100).optional(),
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  subscribeMessageSchema,
  unsubscribeMessageSchema,
  pingMessageSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const helloMessageSchema = z.object({
  type: z.literal('hello'),
  siteId: z.string(),
  serverTime: z.number().int(),
  /** Longest time a sample waits in a batch before it is sent. */
  batchMs: z.number().int(),
});

export const subscribedMessageSchema = z.object({
  type: z.literal('subscribed'),
  /** Every point id the client now receives. */
  points: z.array(z.string()),
  /** Requested ids that match no point or device. */
  unknown: z.array(z.string()),
});

export const samplesMessageSchema = z.object({
  type: z.literal('samples'),
  samples: z.array(sampleSchema),
  /** Older samples that were replaced by a newer one of the same point because the client lagged. */
  coalesced: z.number().int().nonnegative(),
});

export const deviceStatusMessageSchema = z.object({
  type: z.literal('device-status'),
  device: z.string(),
  status: deviceStatusSchema,
  ts: z.number().int(),
  error: z.string().optional(),
});

/** An alarm change; sent to every client of the stream, whatever it subscribed to. */
export const alarmMessageSchema = z.object({
  type: z.literal('alarm'),
  change: alarmChangeSchema,
});

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  id: z.string().optional(),
  serverTime: z.number().int(),
});

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(['invalid_message', 'too_many_subscriptions', 'slow_consumer', 'internal']),
  message: z.string(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  helloMessageSchema,
  subscribedMessageSchema,
  samplesMessageSchema,
  deviceStatusMessageSchema,
  alarmMessageSchema,
  pongMessageSchema,
  errorMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type SamplesMessage = z.infer<typeof samplesMessageSchema>;
