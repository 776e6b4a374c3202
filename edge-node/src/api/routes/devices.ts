import { Hono } from 'hono';
import { z } from 'zod';
import type { EdgeRuntime } from '../../runtime/edge-runtime';
import { errorResponse, parseQuery } from '../http-error';
import { timeParamSchema } from '../time-param';
import { describePoint } from './points';

/** Site and device routes: what the site has and how each device is doing. */
export function deviceRoutes(runtime: EdgeRuntime) {
  const app = new Hono();

  app.get('/site', (c) => {
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

  app.get('/devices', (c) => c.json({ devices: runtime.config.devices.map((device) => describeDevice(device.key)) }));

  app.get('/devices/:device', (c) => {
    const key = c.req.param('device');
    if (!runtime.config.devices.some((device) => device.key === key)) {
      return errorResponse(c, 404, 'device_not_found', `no device "${key}" at this site; GET /api/devices lists them`);
    }
    const now = Date.now();
    return c.json({ ...describeDevice(key), points: runtime.registry.ofDevice(key).map((point) => describePoint(runtime, point, now)) });
  });

  const eventsQuery = z.object({
    from: timeParamSchema.optional(),
    to: timeParamSchema.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
  });

  app.get('/devices/:device/events', (c) => {
    const key = c.req.param('device');
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
