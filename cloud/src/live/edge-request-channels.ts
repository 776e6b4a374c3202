import { controlResultSchema, uplinkControlCommandSchema } from '@simtestlab/sync';
import { z } from 'zod';

/*
 * Redis pub/sub between hub instances for requests to edges. An edge's uplink is open on one instance,
 * named by the site's presence key. Any instance sends a request to that instance's request channel,
 * and the holder forwards it on the socket and publishes the edge's result on the request's reply
 * channel.
 */

/** Channel on which hub instance `instanceId` receives requests for the edges whose uplink it holds. */
export function uplinkRequestChannel(prefix: string, instanceId: string): string {
  return `${prefix}uplink-requests:${instanceId}`;
}

/** Channel on which the instance holding the uplink publishes the result of request `requestId`. */
export function uplinkReplyChannel(prefix: string, requestId: string): string {
  return `${prefix}uplink-reply:${requestId}`;
}

/**
 * One message on a request channel: a control command to forward, or a notice that a site has
 * undelivered alarm actions, which the holder reads from Postgres and sends.
 */
export const uplinkRequestEnvelopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('control'), siteId: z.string(), command: uplinkControlCommandSchema }),
  z.object({ kind: z.literal('alarm-actions'), siteId: z.string() }),
]);
export type UplinkRequestEnvelope = z.infer<typeof uplinkRequestEnvelopeSchema>;

/** One message on a reply channel: the edge's result, or the holder's `edge_offline` or `edge_timeout`. */
export const uplinkReplySchema = z.object({ result: controlResultSchema });
export type UplinkReply = z.infer<typeof uplinkReplySchema>;
