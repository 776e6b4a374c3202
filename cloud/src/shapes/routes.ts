import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses, HttpError } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { authenticateEdge } from '../edge-auth/authenticate-edge';
import { changeNotifierFor } from './change-notifier';
import { proxyToElectric, servedByElectric } from './electric-proxy';
import { readChangesLive } from './live-read';
import { shapeColumns } from './shape-columns';
import { readChanges, readSnapshotPage, type ShapePage, type ShapeStream } from './shape-log';
import { parseShapeOffset } from './shape-offset';
import { shapeMessagesSchema, shapeParamsSchema, shapeQuerySchema, type ShapeMessage } from './schemas';

/** Rows per response; a longer snapshot or backlog is sent in pages without up-to-date until the last. */
export const SHAPE_PAGE_SIZE = 1_000;

/**
 * How long a live request waits for a change before it returns up-to-date. It must stay below the 45 s
 * after which @electric-sql/client 1.5.28 aborts a live request and sends it again.
 */
export const SHAPE_LIVE_HOLD_MS = 20_000;

/** Overrides of the shape route's limits, for tests. */
export interface ShapeSettings {
  shapePageSize?: number;
  shapeLiveHoldMs?: number;
}

const UP_TO_DATE: ShapeMessage = { headers: { control: 'up-to-date' } };

const electricHeaders = {
  'electric-handle': { schema: { type: 'string' as const }, description: 'Handle of the stream; send it back as `handle`' },
  'electric-offset': { schema: { type: 'string' as const }, description: 'Offset of the last message; send it back as `offset`' },
  'electric-schema': { schema: { type: 'string' as const }, description: 'JSON column types (non-live responses)' },
  'electric-cursor': { schema: { type: 'string' as const }, description: 'Cursor of live responses; send it back as `cursor`' },
  'electric-up-to-date': { schema: { type: 'string' as const }, description: 'Present when the body ends with up-to-date' },
};

/** Returns a cursor that changes every hold interval and never equals the one the client sent. */
function liveCursor(holdMs: number, previous: string | undefined): string {
  const interval = Math.floor(Date.now() / Math.max(holdMs, 1));
  return String(interval) === previous ? String(interval + 1) : String(interval);
}

export function registerShapeRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps & ShapeSettings): void {
  const pageSize = deps.shapePageSize ?? SHAPE_PAGE_SIZE;
  const holdMs = deps.shapeLiveHoldMs ?? SHAPE_LIVE_HOLD_MS;

  const shapeRoute = createRoute({
    method: 'get',
    path: '/api/edge/shapes/{shape}',
    tags: ['edge'],
    summary: "Sync a shape of the edge's site over the Electric shape protocol (edge assertion)",
    description:
      'Serves `@electric-sql/client` ShapeStream requests. The hub chooses the rows from the edge credential: the shape of the edge\'s own site (or the hub signing keys for `jwks`). `offset=-1` returns the snapshot; later requests send the `electric-offset` and `electric-handle` of the previous response. `live=true` holds the request until a change commits or the hold time passes. A 409 with `must-refetch` and a new `electric-handle` means the client must drop its rows and start again at `offset=-1`.',
    security: bearerSecurity,
    middleware: [authenticateEdge(deps)] as const,
    request: { params: shapeParamsSchema, query: shapeQuerySchema },
    responses: {
      200: { description: 'Change messages, ending with up-to-date when the client has everything', headers: electricHeaders, content: { 'application/json': { schema: shapeMessagesSchema } } },
      409: { description: 'The handle is no longer current: must-refetch, with the new handle in electric-handle', headers: { 'electric-handle': electricHeaders['electric-handle'] }, content: { 'application/json': { schema: shapeMessagesSchema } } },
      ...errorResponses(400, 401),
    },
  });

  app.openapi(shapeRoute, async (c) => {
    const { shape } = c.req.valid('param');
    const query = c.req.valid('query');
    const { edge } = c.var;
    const stream: ShapeStream = { shape, organizationId: edge.organizationId, siteId: edge.siteId };
    const live = query.live === 'true';

    if (deps.electric !== undefined && servedByElectric(shape)) {
      try {
        // Electric's response passes through unchanged, so it cannot carry the route's typed response.
        return (await proxyToElectric(deps.electric, stream, new URL(c.req.url).searchParams, c.req.raw.signal)) as never;
      } catch (error) {
        c.var.logger.error({ err: error, electricUrl: deps.electric.url, shape }, 'proxied shape request to Electric failed');
        throw new HttpError(503, 'electric_unavailable', `the Electric service at ${deps.electric.url} did not respond; retry later`, { headers: { 'Retry-After': '5' } });
      }
    }

    const offset = parseShapeOffset(query.offset);
    if (offset === null) throw new HttpError(400, 'invalid_request', `offset "${query.offset}" is invalid: expected -1 or the electric-offset of a response`, { parameter: 'offset' });
    if (offset.kind !== 'start' && query.handle === undefined) {
      throw new HttpError(400, 'invalid_request', `offset ${query.offset} needs the handle it was read with: send the electric-handle of that response as "handle"`, { parameter: 'handle' });
    }
    const handle = query.handle ?? '';

    let result;
    if (offset.kind === 'start') {
      result = await readSnapshotPage(deps.sql, stream, null, pageSize);
    } else if (offset.kind === 'snapshot') {
      result = await readSnapshotPage(deps.sql, stream, { horizonXid: offset.horizonXid, afterKey: offset.afterKey, handle }, pageSize);
    } else if (live) {
      const after = { xid: offset.xid, id: offset.id, handle };
      result = await readChangesLive(deps.sql, changeNotifierFor(deps.sql, deps.logger), stream, after, { pageSize, holdMs, signal: c.req.raw.signal });
    } else {
      result = await readChanges(deps.sql, stream, { xid: offset.xid, id: offset.id, handle }, pageSize);
    }

    c.header('Cache-Control', 'no-store');
    if (result.kind === 'stale') {
      c.var.logger.info({ edgeNodeId: edge.edgeNodeId, shape, handle: query.handle, currentHandle: result.handle }, 'shape handle is stale; client must refetch');
      c.header('electric-handle', result.handle);
      return c.json([{ headers: { control: 'must-refetch' } }] satisfies ShapeMessage[], 409);
    }
    return c.json(respond(c, result, { requestOffset: query.offset, live, cursor: live ? liveCursor(holdMs, query.cursor) : null, shape }), 200);
  });
}

function respond(c: Context, page: ShapePage, options: { requestOffset: string; live: boolean; cursor: string | null; shape: ShapeStream['shape'] }): ShapeMessage[] {
  c.header('electric-handle', page.handle);
  c.header('electric-offset', page.offset ?? options.requestOffset);
  if (options.cursor !== null) c.header('electric-cursor', options.cursor);
  if (!options.live) c.header('electric-schema', JSON.stringify(shapeColumns[options.shape]));

  const messages: ShapeMessage[] = page.changes.map((change) => ({ key: change.key, value: change.value, headers: { operation: change.operation } }));
  if (!page.more) {
    c.header('electric-up-to-date', 'true');
    messages.push(UP_TO_DATE);
  }
  return messages;
}
