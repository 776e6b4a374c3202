import { z } from '@hono/zod-openapi';
import { deviceStatusSchema, qualitySchema, sampleValueSchema, siteKpisSchema } from '@simtestlab/sync';

const epochMs = z.number().int().openapi({ description: 'Epoch ms UTC' });

export const alarmCountsSchema = z.object({
  /** Alarms whose condition is active (acknowledged or not), by severity. */
  active: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int(), total: z.number().int() }),
  /** Alarms that wait for an acknowledgement, active or cleared. */
  unacknowledged: z.number().int(),
});

export const deviceCountsSchema = z.object({
  total: z.number().int(),
  online: z.number().int(),
  offline: z.number().int(),
  /** Devices whose edge never reported a status, or last reported `unknown`. */
  unknown: z.number().int(),
  /** When the newest device status event the counts use happened, by the edge's clock. */
  statusAt: epochMs.nullable(),
  /** Each device's latest status by device key, as counted above. */
  byDevice: z.record(z.string(), deviceStatusSchema),
});

export const edgeStateSchema = z.object({
  /** True while an edge of the site has its live uplink open on some hub instance. */
  connected: z.boolean(),
  /** The later of the edge's last upload and its last `GET /api/edge/me`, by the hub's clock. */
  lastContactAt: epochMs.nullable(),
  /** Time of the newest stored value of any point of the site, by the edge's clock. */
  lastDataAt: epochMs.nullable(),
});

export const siteSummarySchema = z
  .object({
    site: z.object({ id: z.string(), name: z.string(), organizationId: z.string(), organizationName: z.string(), timeZone: z.string() }),
    generatedAt: epochMs.openapi({ description: 'When the summary was computed, epoch ms UTC' }),
    dayStart: epochMs.openapi({ description: "The site's local midnight from which energyToday counts, epoch ms UTC" }),
    kpis: siteKpisSchema,
    alarms: alarmCountsSchema,
    devices: deviceCountsSchema,
    edge: edgeStateSchema,
  })
  .openapi('SiteSummary');

export const siteSummaryListQuerySchema = z.object({
  organizationId: z.string().optional().openapi({ param: { name: 'organizationId', in: 'query' }, description: 'Only sites of this organization' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, description: 'Sites per page, 1 to 200', example: 50 }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .openapi({ param: { name: 'offset', in: 'query' }, description: 'Sites to skip, for the next page', example: 0 }),
});

export const siteSummaryListSchema = z
  .object({
    sites: z.array(siteSummarySchema),
    /** Number of sites the caller can open (within organizationId when given), on all pages. */
    total: z.number().int(),
  })
  .openapi('SiteSummaryList');

export const latestPointValueSchema = z.object({
  /** The edge's point id, `device.point`. */
  point: z.string(),
  unit: z.string(),
  value: sampleValueSchema,
  /** Null when the hub has no value of the point. */
  quality: qualitySchema.nullable(),
  ts: epochMs.nullable(),
  /** `live`: the last sample relayed by the live uplink; `rollup`: the last value of the newest stored minute rollup. */
  source: z.enum(['live', 'rollup']).nullable(),
});

export const latestPointsSchema = z
  .object({
    siteId: z.string(),
    points: z.array(latestPointValueSchema),
  })
  .openapi('LatestPointValues');
