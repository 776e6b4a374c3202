import { controlResultSchema, energyReportSchema, type AlarmUserAction, type ControlResult, type Resolution } from '@simtestlab/sync';
import type { Client } from 'openapi-fetch';
import { apiErrorFrom } from '../api/api-error';
import type { paths } from '../api/generated/edge-api';
import { unwrap } from '../api/http';
import { readWithProgress } from './download';
import { readingOf, rollupRow, sitePointOf } from './normalize';
import type { HistoryRow, SiteApi, SiteNode } from './site-api';

type EdgeClient = Client<paths>;

/** Returns the result of a control or release request, also when the edge rejected the command. */
async function controlOutcome(pending: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<ControlResult> {
  const { data, error, response } = await pending;
  const parsed = controlResultSchema.safeParse(data ?? error);
  if (parsed.success) return parsed.data;
  throw apiErrorFrom(response, error);
}

/** Builds the query of the edge's history routes from a time range and resolution. */
function historyQuery(range: { from: number; to: number }, resolution: Resolution) {
  return { from: String(range.from), to: String(range.to), resolution, limit: 100_000 };
}

/** Action names as the URLs spell them: `remove-from-service`. */
function urlAction(action: AlarmUserAction) {
  return action.replaceAll('_', '-') as 'acknowledge' | 'shelve' | 'unshelve' | 'comment' | 'remove-from-service' | 'return-to-service';
}

/** Local mode: the site through the edge node's own API, which needs no internet. */
export function createEdgeSiteApi(client: EdgeClient, siteId: string): SiteApi {
  const point = (id: string) => ({ path: { point: id } });

  /** Reads the hub link from the edge's sync status; null when the edge is not paired and has no sync status route. */
  async function link() {
    const { data, response } = await client.GET('/api/sync/status');
    if (response.status === 404 || !data) return null;
    return { connected: data.liveConnected, lastContactAt: data.lastContactAt, lastDataAt: null };
  }

  return {
    mode: 'edge',
    siteId,
    async summary() {
      const [summary, linkState] = await Promise.all([unwrap(client.GET('/api/site/summary')), link()]);
      return {
        site: summary.site,
        kpis: summary.kpis,
        alarms: {
          active: summary.alarms.active.total,
          unacknowledged: summary.alarms.unacknowledged,
          bySeverity: { critical: summary.alarms.active.critical, warning: summary.alarms.active.warning, info: summary.alarms.active.info },
        },
        devices: summary.devices,
        nodes: summary.hierarchy.nodes as SiteNode[],
        link: linkState,
      };
    },
    async devices() {
      const [list, summary] = await Promise.all([unwrap(client.GET('/api/devices')), unwrap(client.GET('/api/site/summary'))]);
      const nodeOf = new Map(summary.hierarchy.devices.map((device) => [device.key, device.nodeId]));
      return list.devices.map((device) => ({
        key: device.key,
        name: device.name,
        driver: device.driver,
        status: device.status,
        lastError: device.lastError,
        nodeId: nodeOf.get(device.key) ?? null,
        pointCount: device.pointCount,
        poll: device.stats && { pollIntervalMs: device.pollIntervalMs, ...device.stats },
      }));
    },
    async points(device) {
      const body = await unwrap(client.GET('/api/points', { params: { query: device === undefined ? {} : { device } } }));
      return body.points.map((entry) => sitePointOf(entry.device, entry, readingOf(entry.value, entry.ts, entry.quality, entry.reason)));
    },
    async history(id, range, resolution) {
      const body = await unwrap(client.GET('/api/points/{point}/history', { params: { ...point(id), query: historyQuery(range, resolution) } }));
      const rows: HistoryRow[] = body.rows.map((row) =>
        'start' in row
          ? rollupRow(row, row.mean)
          : { ts: row.ts, value: typeof row.value === 'number' ? row.value : null, min: null, max: null, delta: null, quality: row.quality },
      );
      return { point: id, resolution: body.resolution, rows, truncated: body.truncated };
    },
    async historyCsv(id, range, resolution, { progress, signal }) {
      const { response, error } = await client.GET('/api/points/{point}/history.csv', {
        params: { ...point(id), query: historyQuery(range, resolution) },
        parseAs: 'stream',
        signal,
      });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
    async activeAlarms() {
      return (await unwrap(client.GET('/api/alarms'))).alarms;
    },
    async alarmHistory(filter) {
      return (await unwrap(client.GET('/api/alarms/history', { params: { query: filter } }))).transitions;
    },
    async alarmHistoryCsv(filter, { progress, signal }) {
      const { response, error } = await client.GET('/api/alarms/history.csv', { params: { query: filter }, parseAs: 'stream', signal });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
    async alarmAction(ruleId, action, body) {
      const result = await unwrap(
        client.POST('/api/alarms/{ruleId}/{action}', {
          params: { path: { ruleId, action: urlAction(action) }, header: { 'idempotency-key': crypto.randomUUID() } },
          body,
        }),
      );
      return { message: `${result.transition.action} recorded`, duplicate: result.duplicate };
    },
    async control(id, body) {
      return controlOutcome(client.POST('/api/points/{point}/control', { params: point(id), body }));
    },
    async release(id) {
      return controlOutcome(client.POST('/api/points/{point}/release', { params: point(id) }));
    },
    async leases() {
      return (await unwrap(client.GET('/api/control/leases'))).leases;
    },
    async syncStatus() {
      return unwrap(client.GET('/api/sync/status'));
    },
    async energyReport(query) {
      return energyReportSchema.parse(await unwrap(client.GET('/api/energy/report', { params: { query } })));
    },
    async energyReportCsv(query, table, { progress, signal }) {
      const { response, error } = await client.GET('/api/energy/report.csv', { params: { query: { ...query, table } }, parseAs: 'stream', signal });
      if (!response.ok) throw apiErrorFrom(response, error);
      return readWithProgress(response, progress);
    },
  };
}
