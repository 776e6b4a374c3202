import { z } from 'zod';
import { deviceStatusMessageSchema, errorMessageSchema, pingMessageSchema, pongMessageSchema, samplesMessageSchema } from './messages';
import { deviceStatusSchema, sampleSchema } from '../model/sample';
import { alarmActionBodySchema, alarmActionResultSchema, alarmActorSchema, alarmChangeSchema, alarmUserActionSchema } from '../alarms/alarm-state';
import { controlResultSchema, controlWriteBodySchema } from '../control/control-command';

/**
 * Live relay through the cloud hub. A paired edge keeps one WebSocket to the hub's uplink endpoint,
 * authenticated at the upgrade with an edge assertion in `Authorization: Bearer`, and sends live
 * samples while the hub reports that someone watches its site. Browsers connect to the hub's `/ws` with an
 * access token (the `access_token` subprotocol, as on the edge) and subscribe to sites.
 */

/** Path of the edge uplink WebSocket on the hub. */
export const UPLINK_PATH = '/api/edge/live';

/** Version of the uplink protocol; the hub closes an uplink of another version with a message naming both. */
export const UPLINK_PROTOCOL_VERSION = 1;

/** Upgrade request header in which the edge offers its uplink protocol version. */
export const UPLINK_PROTOCOL_HEADER = 'X-Uplink-Protocol';

/** Maximum time a live sample waits on the edge before its batch goes to the hub. */
export const UPLINK_BATCH_MS = 50;

/**
 * A user of the hub, as the hub names them in a request it relays. The edge looks the user up in its
 * synced `site_users` and checks the right itself; it trusts the hub only for who the user is.
 */
export const relayedUserSchema = z.strictObject({
  id: z.string().min(1).max(100),
  email: z.string().max(320),
  name: z.string().max(200),
});
export type RelayedUser = z.infer<typeof relayedUserSchema>;

/** Maximum time the hub waits for the edge's result of a relayed request before it returns `edge_timeout`. */
export const UPLINK_REQUEST_TIMEOUT_MS = 15_000;

/**
 * An alarm action a hub user took. The hub records it first and sends it until the edge returns a
 * result, also after the uplink reconnects. The edge applies a `requestId` once and returns the same
 * result for a resend.
 */
export const uplinkAlarmActionSchema = z.strictObject({
  type: z.literal('alarm-action'),
  requestId: z.uuid(),
  ruleId: z.string().min(1).max(100),
  action: alarmUserActionSchema,
  body: alarmActionBodySchema,
  user: relayedUserSchema,
  /** When the hub recorded the action, epoch ms by the hub's clock. */
  at: z.number().int(),
});
export type UplinkAlarmAction = z.infer<typeof uplinkAlarmActionSchema>;

/** A remote control command. Sent once, only while the uplink is open; never resent or queued. */
export const uplinkControlCommandSchema = z.strictObject({
  type: z.literal('control-command'),
  requestId: z.uuid(),
  point: z.string().min(1).max(200),
  command: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('write'), ...controlWriteBodySchema.shape }),
    z.strictObject({ kind: z.literal('release') }),
  ]),
  user: relayedUserSchema,
});
export type UplinkControlCommand = z.infer<typeof uplinkControlCommandSchema>;

export const uplinkAlarmActionResultSchema = z.strictObject({
  type: z.literal('alarm-action-result'),
  requestId: z.uuid(),
  result: alarmActionResultSchema,
});

export const uplinkControlResultSchema = z.strictObject({
  type: z.literal('control-result'),
  requestId: z.uuid(),
  result: controlResultSchema,
});

/** Messages from the edge on the uplink. */
export const uplinkEdgeMessageSchema = z.discriminatedUnion('type', [
  samplesMessageSchema,
  deviceStatusMessageSchema,
  pingMessageSchema,
  uplinkAlarmActionResultSchema,
  uplinkControlResultSchema,
]);
export type UplinkEdgeMessage = z.infer<typeof uplinkEdgeMessageSchema>;

export const uplinkHelloSchema = z.object({
  type: z.literal('uplink-hello'),
  protocol: z.number().int(),
  siteId: z.string(),
  serverTime: z.number().int(),
});

/** Whether anyone watches the edge's site; the edge sends samples only while `watched` is true. */
export const uplinkWatchSchema = z.object({
  type: z.literal('watch'),
  watched: z.boolean(),
});

/** Messages from the hub on the uplink. */
export const uplinkHubMessageSchema = z.discriminatedUnion('type', [
  uplinkHelloSchema,
  uplinkWatchSchema,
  uplinkAlarmActionSchema,
  uplinkControlCommandSchema,
  pongMessageSchema,
  errorMessageSchema,
]);
export type UplinkHubMessage = z.infer<typeof uplinkHubMessageSchema>;

/** Most site ids one subscribe or unsubscribe may list; each id costs the hub an access check and a Redis read. */
export const MAX_SITE_IDS_PER_MESSAGE = 1_000;

const siteIdList = z
  .array(z.string().min(1).max(100))
  .max(MAX_SITE_IDS_PER_MESSAGE, `at most ${MAX_SITE_IDS_PER_MESSAGE} site ids per message; split the list over several messages`);

/** Messages from a browser on the hub's `/ws`. */
export const hubClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), sites: siteIdList }),
  z.object({ type: z.literal('unsubscribe'), sites: siteIdList }),
  pingMessageSchema,
]);
export type HubClientMessage = z.infer<typeof hubClientMessageSchema>;

export const hubWelcomeSchema = z.object({
  type: z.literal('welcome'),
  serverTime: z.number().int(),
  /** Sites the user may watch. */
  sites: z.array(z.string()),
  /** When the access token expires (epoch ms); the hub closes the socket with 4401 then. */
  expiresAt: z.number().int(),
});

export const hubSubscribedSchema = z.object({
  type: z.literal('site-subscribed'),
  /** Every site the client now receives. */
  sites: z.array(z.string()),
  /** Requested sites the user may not see, or that do not exist (the response does not distinguish the two). */
  denied: z.array(z.string()),
});

export const hubSamplesSchema = z.object({
  type: z.literal('site-samples'),
  siteId: z.string(),
  samples: z.array(sampleSchema),
  /** Older samples replaced by a newer one of the same point because the client lagged. */
  coalesced: z.number().int().nonnegative(),
});

export const hubDeviceStatusSchema = z.object({
  type: z.literal('site-device-status'),
  siteId: z.string(),
  device: z.string(),
  status: deviceStatusSchema,
  ts: z.number().int(),
  error: z.string().optional(),
});

/** An alarm change at a subscribed site, as the hub recorded it. */
export const hubAlarmSchema = z.object({
  type: z.literal('site-alarm'),
  siteId: z.string(),
  change: alarmChangeSchema,
});

/**
 * Sent when the user's permissions changed. `removedSites` lists subscriptions the hub dropped; the
 * client should refetch what it shows (`refresh`) or open a new connection (`reconnect`).
 */
export const hubPermissionsChangedSchema = z.object({
  type: z.literal('permissions-changed'),
  action: z.enum(['refresh', 'reconnect']),
  removedSites: z.array(z.string()),
});

export const hubServerMessageSchema = z.discriminatedUnion('type', [
  hubWelcomeSchema,
  hubSubscribedSchema,
  hubSamplesSchema,
  hubDeviceStatusSchema,
  hubAlarmSchema,
  hubPermissionsChangedSchema,
  pongMessageSchema,
  errorMessageSchema,
]);
export type HubServerMessage = z.infer<typeof hubServerMessageSchema>;
