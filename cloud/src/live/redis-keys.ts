import { alarmChangeSchema, deviceStatusMessageSchema, samplesMessageSchema } from '@simtestlab/sync';
import { z } from 'zod';

/** Channel on which every hub instance publishes the live messages that edges of `siteId` send up. */
export function telemetryChannel(prefix: string, siteId: string): string {
  return `${prefix}telemetry:site_${siteId}`;
}

/** Channel on which the hub publishes every alarm change of `siteId`, after the commit that made it. */
export function alertsChannel(prefix: string, siteId: string): string {
  return `${prefix}alerts:site_${siteId}`;
}

/**
 * Key that exists while an edge of `siteId` has an uplink open on some hub instance. Its value is that
 * instance's id; the sync status route reads it.
 */
export function uplinkPresenceKey(prefix: string, siteId: string): string {
  return `${prefix}uplink:site_${siteId}`;
}

/**
 * Hash of the latest live sample of every point of `siteId` (point id to sample JSON), written by the
 * instance that has the site's uplink open, so a browser that subscribes sees every value at once.
 */
export function siteLastValuesKey(prefix: string, siteId: string): string {
  return `${prefix}last-values:site_${siteId}`;
}

/** Sorted set of the hub instances with a browser watching `siteId`, scored by when each entry expires (epoch ms). */
export function siteWatchersKey(prefix: string, siteId: string): string {
  return `${prefix}watchers:site_${siteId}`;
}

/** Channel that carries the id of a site whose watcher set just changed. */
export function watchersChangedChannel(prefix: string): string {
  return `${prefix}watchers-changed`;
}

/** One message on a telemetry channel: what the edge sent, tagged with its site. */
export const telemetryEnvelopeSchema = z.object({
  siteId: z.string(),
  message: z.discriminatedUnion('type', [samplesMessageSchema, deviceStatusMessageSchema]),
});
export type TelemetryEnvelope = z.infer<typeof telemetryEnvelopeSchema>;

/** One message on an alerts channel: an alarm change, tagged with its site. */
export const alarmEnvelopeSchema = z.object({
  siteId: z.string(),
  change: alarmChangeSchema,
});
export type AlarmEnvelope = z.infer<typeof alarmEnvelopeSchema>;
