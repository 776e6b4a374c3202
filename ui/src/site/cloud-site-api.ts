import { controlResultSchema, energyReportSchema, parsePointId, type ControlLease, type ControlResult, type MeterRole } from '@simtestlab/sync';
import type { Client } from 'openapi-fetch';
import { apiErrorFrom } from '../api/api-error';
import type { paths } from '../api/generated/cloud-api';
import { unwrap } from '../api/http';
import { readWithProgress } from './download';
import { readingOf, rollupRow, sitePointOf, type PointDefinition } from './normalize';
import type { SiteApi, SiteDevice, SitePoint } from './site-api';

type CloudClient = Client<paths>;

/** Returns the result of a control or release request, also when the edge rejected the command. */
async function controlOutcome(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<ControlResult> {
  const { data, error, response } = await pending;
  const parsed = controlResultSchema.safeParse(data ?? error);
  if (parsed.success) return parsed.data;
  throw apiErrorFrom(response, error);
}

/**
 * Remote mode: the site through the hub. Values come from the hub's stored telemetry and the live
 * relay; commands and alarm actions are relayed to the edge.
 */
export function createCloudSiteApi(client: CloudClient, siteId: string): SiteApi {
  const leases = new Map<string, ControlLease>();
  const remember = (result: ControlResult) => {
    if (!result.ok) return result;
    if (result.lease) leases.set(result.point, result.lease);
    else leases.delete(result.point);
    return result;
  };
  const site = { path: { siteId } };

  async function devices(): Promise<(SiteDevice & { id: string })[]> {
    const [body, summary] = await Promise.all([
      unwrap(client.GET('/api/sites/{siteId}/devices', { params: site })),
      unwrap(client.GET('/api/sites/{siteId}/summary', { params: site })),
    ]);
    return body.devices.map((device) => ({
      id: device.id,
      key: device.key,
      name: device.name ?? device.key,
      driver: device.driver,
      status: device.enabled ? (summary.devices.byDevice[device.key] ?? 'unknown') : 'disabled',
      lastError: null,
      nodeId: device.nodeId,
      pointCount: device.pointCount,
      poll: null,
    }));
  }

  return {
    mode: 'cloud',
    siteId,
    async summary() {
      const [summary, nodes] = await Promise.all([
        unwrap(client.GET('/api/sites/{siteId}/summary', { params: site })),
        unwrap(client.GET('/api/sites/{siteId}/nodes', { params: site })),
      ]);
      return {
        site: { id: summary.site.id, name: summary.site.name, timeZone: summary.site.timeZone },
        kpis: summary.kpis,
        alarms: {
          active: summary.alarms.active.total,
          unacknowledged: summary.alarms.unacknowledged,
          bySeverity: { critical: summary.alarms.active.critical, warning: summary.alarms.active.warning, info: summary.alarms.active.info },
        },
        devices: { ...summary.devices, withBadPoints: 0 },
        nodes: nodes.nodes.map((node) => ({ id: node.id, parentId: node.parentId, kind: node.kind, name: node.name })),
        link: summary.edge,
      };
    },
    devices,
    async points(device) {
      const all = (await devices()).filter((candidate) => device === undefined || candidate.key === device);
      const [latest, ...records] = await Promise.all([
        unwrap(client.GET('/api/sites/{siteId}/points/latest', { params: site })),
        ...all.map((candidate) => unwrap(client.GET('/api/devices/{deviceId}', { params: { path: { deviceId: candidate.id } } }))),
      ]);
      const readings = new Map(latest.points.map((point) => [point.point, readingOf(point.value, point.ts, point.quality)]));
      const roles = new Map(records.map((record) => [record.device.key, (record.device.roles ?? {}) as Record<string, MeterRole>]));
      const points: SitePoint[] = [];
      for (const record of records) {
        const key = record.device.key;
        for (const definition of record.device.points as PointDefinition[]) {
          const role = definition.role ?? roles.get(key)?.[definition.key];
          points.push(sitePointOf(key, { ...definition, role }, readings.get(`${key}.${definition.key}`) ?? null));
        }
      }
      // Points the edge found itself, such as SunSpec models it discovered, reach the hub only as values
      // and a point catalog, so their unit comes with the latest value and their role from the device.
      const defined = new Set(points.map((point) => point.id));
      for (const value of latest.points) {
        const id = parsePointId(value.point);
        if (defined.has(value.point) || !id || !roles.has(id.device)) continue;
        points.push(sitePointOf(id.device, { key: id.point, unit: value.unit, role: roles.get(id.device)?.[id.point] }, readings.get(value.point) ?? null));
      }
      return points;
    },
    async history(point, range, resolution) {
      const body = await unwrap(
        client.GET('/api/telemetry/historical', {
          params: { query: { site: siteId, points: point, from: String(range.from), to: String(range.to), resolution: resolution === 'raw' ? 'auto' : resolution } },
        }),
      );
      const series = body.series.find((candidate) => candidate.point === point);
      return {
        point,
        resolution: body.resolution,
        rows: (series?.buckets ?? []).map((bucket) => rollupRow(bucket, bucket.avg)),
        truncated: false,
      };
    },
    async historyCsv(point, range, resolution, { progress, signal }) {
      const { response, error } = await client.GET('/api/telemetry/historical.csv', {
        params: { query: { site: siteId, points: point, from: String(range.from), to: String(range.to), resolution: resolution === 'raw' ? 'auto' : resolution } },
        parseAs: 'stream',
        signal,
      });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
    async activeAlarms() {
      return (await unwrap(client.GET('/api/sites/{siteId}/alarms', { params: site }))).alarms;
    },
    async alarmHistory(filter) {
      const body = await unwrap(client.GET('/api/alarms/history', { params: { query: { ...filter, siteId } } }));
      return body.transitions;
    },
    async alarmHistoryCsv(filter, { progress, signal }) {
      const { response, error } = await client.GET('/api/alarms/history.csv', { params: { query: { ...filter, siteId } }, parseAs: 'stream', signal });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
    async alarmAction(ruleId, action, body) {
      const accepted = await unwrap(client.POST('/api/sites/{siteId}/alarms/{ruleId}/{action}', { params: { path: { siteId, ruleId, action } }, body }));
      return { message: accepted.message, duplicate: accepted.duplicate };
    },
    async control(point, body) {
      return remember(await controlOutcome(client.POST('/api/sites/{siteId}/points/{pointId}/control', { params: { path: { siteId, pointId: point } }, body })));
    },
    async release(point) {
      return remember(await controlOutcome(client.POST('/api/sites/{siteId}/points/{pointId}/release', { params: { path: { siteId, pointId: point } } })));
    },
    async leases() {
      const now = Date.now();
      return [...leases.values()].filter((lease) => lease.expiresAt === null || lease.expiresAt > now);
    },
    async syncStatus() {
      return unwrap(client.GET('/api/sites/{siteId}/sync-status', { params: site }));
    },
    async energyReport(query) {
      return energyReportSchema.parse(await unwrap(client.GET('/api/energy/sites/{siteId}/report', { params: { ...site, query } })));
    },
    async energyReportCsv(query, table, { progress, signal }) {
      const { response, error } = await client.GET('/api/energy/sites/{siteId}/report.csv', {
        params: { ...site, query: { ...query, table } },
        parseAs: 'stream',
        signal,
      });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
  };
}
