import { createRoute, z } from '@hono/zod-openapi';
import { deviceStatusSchema, driverNames, siteSchema } from '@simtestlab/sync';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { errorResponse, errorResponses, parseQuery } from '../http-error';
import { bearerSecurity, createRouter, mountRoute } from '../openapi-router';
import { timeParamDocSchema, timeParamSchema } from '../time-param';
import { describePoint, pointResponseSchema } from './points';

const siteBodySchema = siteSchema.extend({ deviceCount: z.number().int(), pointCount: z.number().int() });

const deviceSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    driver: z.enum(driverNames as [string, ...string[]]),
    enabled: z.boolean(),
    pollIntervalMs: z.number().int(),
    status: z.union([deviceStatusSchema, z.literal('disabled')]),
    lastError: z.string().nullable(),
    pointCount: z.number().int(),
    stats: z
      .object({ polls: z.number().int(), failures: z.number().int(), timeouts: z.number().int(), lastPollMs: z.number().nullable() })
      .nullable()
      .openapi({ description: 'Poll counters since start, or null when the device has no poller' }),
  })
  .openapi('Device');

const deviceParams = z.object({ device: z.string().openapi({ param: { name: 'device', in: 'path' }, example: 'meter' }) });

const eventsQuery = z.object({
  from: timeParamSchema.optional(),
  to: timeParamSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

const eventsQueryDoc = z.object({
  from: timeParamDocSchema.optional(),
  to: timeParamDocSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

const deviceEventSchema = z.object({ ts: z.number().int(), status: z.string(), error: z.string().nullable() });

export const siteRoute = createRoute({
  method: 'get',
  path: '/site',
  tags: ['devices'],
  summary: 'The site: id, name, time zone, device and point counts',
  security: bearerSecurity,
  responses: {
    200: { description: 'The site', content: { 'application/json': { schema: siteBodySchema } } },
    ...errorResponses(401, 403),
  },
});

export const listDevicesRoute = createRoute({
  method: 'get',
  path: '/devices',
  tags: ['devices'],
  summary: 'Devices of the site with their poll status',
  security: bearerSecurity,
  responses: {
    200: { description: 'Devices', content: { 'application/json': { schema: z.object({ devices: z.array(deviceSchema) }) } } },
    ...errorResponses(401, 403),
  },
});

export const getDeviceRoute = createRoute({
  method: 'get',
  path: '/devices/{device}',
  tags: ['devices'],
  summary: 'One device with its points and their latest values',
  security: bearerSecurity,
  request: { params: deviceParams },
  responses: {
    200: { description: 'The device', content: { 'application/json': { schema: deviceSchema.extend({ points: z.array(pointResponseSchema) }) } } },
    ...errorResponses(401, 403, 404),
  },
});

export const deviceEventsRoute = createRoute({
  method: 'get',
  path: '/devices/{device}/events',
  tags: ['devices'],
  summary: 'Status changes of a device, newest first',
  security: bearerSecurity,
  request: { params: deviceParams, query: eventsQueryDoc },
  responses: {
    200: { description: 'Events', content: { 'application/json': { schema: z.object({ device: z.string(), events: z.array(deviceEventSchema) }) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** Route definitions of this module, for the OpenAPI document. */
export const deviceRouteDefinitions = [siteRoute, listDevicesRoute, getDeviceRoute, deviceEventsRoute];

/** Site and device routes: what the site has and how each device is doing. */
export function deviceRoutes(runtime: EdgeRuntime) {
  const app = createRouter();

  mountRoute(app, siteRoute, (c) => {
    const { site } = runtime.config;
    return c.json({ ...site, deviceCount: runtime.config.devices.length, pointCount: runtime.registry.all().length });
  });

  const describeDevice = (key: string) => {
    const device = runtime.config.devices.find((candidate) => candidate.key === key)!;
    const poller = runtime.pollers.get(key);
    return {
      key: device.key,
      name: device.name ?? device.key,
      driver: device.driver,
      enabled: device.enabled,
      pollIntervalMs: device.pollIntervalMs,
      status: poller?.status ?? (device.enabled ? 'unknown' : 'disabled'),
      lastError: poller?.lastError ?? null,
      pointCount: runtime.registry.ofDevice(key).length,
      stats: poller ? { polls: poller.stats.polls, failures: poller.stats.failures, timeouts: poller.stats.timeouts, lastPollMs: poller.stats.lastPollMs } : null,
    };
  };

  mountRoute(app, listDevicesRoute, (c) => c.json({ devices: runtime.config.devices.map((device) => describeDevice(device.key)) }));

  mountRoute(app, getDeviceRoute, (c) => {
    const key = c.req.param('device') ?? '';
    if (!runtime.config.devices.some((device) => device.key === key)) {
      return errorResponse(c, 404, 'device_not_found', `no device "${key}" at this site; GET /api/devices lists them`);
    }
    const now = Date.now();
    return c.json({ ...describeDevice(key), points: runtime.registry.ofDevice(key).map((point) => describePoint(runtime, point, now)) });
  });

  mountRoute(app, deviceEventsRoute, (c) => {
    const key = c.req.param('device') ?? '';
    if (!runtime.config.devices.some((device) => device.key === key)) {
      return errorResponse(c, 404, 'device_not_found', `no device "${key}" at this site; GET /api/devices lists them`);
    }
    const query = parseQuery(c, eventsQuery);
    if (!query.ok) return query.response;
    const { from = 0, to = Number.MAX_SAFE_INTEGER, limit } = query.value;
    const stored = runtime.db
      .prepare<[string, number, number, number], { ts: number; status: string; error: string | null }>(
        'SELECT ts, status, error FROM device_events WHERE device_key = ? AND ts >= ? AND ts < ? ORDER BY ts DESC LIMIT ?',
      )
      .all(key, from, to, limit);
    const uncommitted = runtime.writer
      .uncommittedDeviceEvents()
      .filter((event) => event.device === key && event.ts >= from && event.ts < to)
      .map(({ ts, status, error }) => ({ ts, status, error }));
    const events = [...uncommitted, ...stored].sort((a, b) => b.ts - a.ts).slice(0, limit);
    return c.json({ device: key, events });
  });

  return app;
}
