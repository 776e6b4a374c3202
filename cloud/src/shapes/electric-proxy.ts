import type { ShapeName } from '@simtestlab/sync';
import type { ShapeStream } from './shape-log';

/** Location of a real Electric service, and the API secret it expects (Electric's `secret` parameter). */
export interface ElectricSettings {
  url: string;
  secret?: string | undefined;
}

/** The table, columns and site filter of each shape Electric can serve straight from a table. */
const electricShapes: Partial<Record<ShapeName, { table: string; columns: string[]; bySite: boolean }>> = {
  site: { table: 'sites', columns: ['id', 'organization_id', 'name', 'time_zone', 'latitude', 'longitude', 'operator_control'], bySite: false },
  site_nodes: { table: 'site_nodes', columns: ['id', 'site_id', 'parent_id', 'kind', 'name'], bySite: true },
  devices: { table: 'devices', columns: ['id', 'site_id', 'node_id', 'key', 'driver', 'config'], bySite: true },
  points: { table: 'points', columns: ['id', 'site_id', 'device_id', 'key', 'position', 'config'], bySite: true },
  alarm_rules: { table: 'alarm_rules', columns: ['id', 'site_id', 'point_id', 'name', 'severity', 'enabled', 'condition'], bySite: true },
  jwks: { table: 'jwks_keys', columns: ['kid', 'jwk'], bySite: false },
};

/**
 * Checks whether Electric serves `shape`. `site_users` is derived from several tables and carries password
 * hashes, and `energy_settings` takes its currency from the organization, so the hub always serves both
 * from its own change log.
 */
export function servedByElectric(shape: ShapeName): boolean {
  return electricShapes[shape] !== undefined;
}

/** Client parameters passed on to Electric; the table, columns and filter are always the hub's. */
const FORWARDED_PARAMS = ['offset', 'handle', 'live', 'cursor'] as const;

/**
 * Builds the Electric request for an edge's shape request. The hub acts as Electric's authorizing
 * proxy: whatever the edge sends, the table, the columns and the `where` clause come from the shape and
 * from the site of the edge's credential, bound as a parameter.
 */
export function electricShapeUrl(settings: ElectricSettings, stream: ShapeStream, clientQuery: URLSearchParams): URL {
  const definition = electricShapes[stream.shape];
  if (!definition) throw new Error(`shape ${stream.shape} is not served by Electric`);
  const url = new URL('/v1/shape', settings.url);
  url.searchParams.set('table', definition.table);
  url.searchParams.set('columns', definition.columns.join(','));
  if (stream.shape === 'site') {
    url.searchParams.set('where', 'id = $1');
    url.searchParams.set('params[1]', stream.siteId);
  } else if (definition.bySite) {
    url.searchParams.set('where', 'site_id = $1');
    url.searchParams.set('params[1]', stream.siteId);
  }
  for (const name of FORWARDED_PARAMS) {
    const value = clientQuery.get(name);
    if (value !== null) url.searchParams.set(name, value);
  }
  if (settings.secret !== undefined) url.searchParams.set('secret', settings.secret);
  return url;
}

/** Response headers of Electric that the client needs, passed back unchanged. */
const PASSED_HEADERS = ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date', 'content-type', 'retry-after', 'cache-control'];

/**
 * Forwards an edge's shape request to Electric and returns Electric's response with its status, body and
 * protocol headers.
 * NOTE: this mode was tested against a protocol peer on loopback only, never against a running Electric
 * service, which cannot run on the machines the tests run on.
 */
export async function proxyToElectric(settings: ElectricSettings, stream: ShapeStream, clientQuery: URLSearchParams, signal: AbortSignal): Promise<Response> {
  const upstream = await fetch(electricShapeUrl(settings, stream, clientQuery), { signal });
  const headers = new Headers();
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
