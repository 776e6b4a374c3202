import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/env';
import { errorResponses } from '../api/http-error';
import { bearerSecurity } from '../api/openapi';
import { inTenantScope } from '../db/scope';
import { AUDIT_CSV_HEADER, MAX_EXPORT_ROWS, planAuditExport, writeAuditCsv, type AuditExportPlan } from './audit-export';
import { searchAuditLog, toAuditEntry } from './audit-query';
import { auditReadScope } from './audit-scope';
import { ExportSlots } from './export-slots';
import { createPullStream } from './pull-stream';
import { auditExportQuerySchema, auditPageSchema, auditSearchQuerySchema } from './schemas';

const WHO_SEES_WHAT =
  'Platform admins see every entry, including those of no organization. Org admins see the entries of the organizations they ' +
  'administer, and site managers those of the sites they manage. Anyone else gets 403. Filters narrow that set and never widen it.';

/**
 * Exports running at once on this instance. An export keeps no pooled connection while its client
 * reads, but it reads up to 100 pages from Postgres and buffers up to 64 KiB plus one page, so the
 * limit bounds what downloads take from the regular requests.
 */
const MAX_CONCURRENT_EXPORTS = 2;

const searchAuditRoute = createRoute({
  method: 'get',
  path: '/api/audit',
  tags: ['audit'],
  summary: 'Search the audit log, newest first, one page at a time',
  description: WHO_SEES_WHAT,
  security: bearerSecurity,
  request: { query: auditSearchQuerySchema },
  responses: { 200: { description: 'One page of entries', content: { 'application/json': { schema: auditPageSchema } } }, ...errorResponses(400, 401, 403) },
});

const exportAuditRoute = createRoute({
  method: 'get',
  path: '/api/audit/export.csv',
  tags: ['audit'],
  summary: `Export the matching audit entries as CSV, newest first, at most ${MAX_EXPORT_ROWS} rows`,
  description:
    `${WHO_SEES_WHAT} The CSV follows RFC 4180 with a header row, and before and after are JSON. A cell that starts with =, +, -, @, tab ` +
    'or carriage return gets a leading single quote, so spreadsheet programs do not run it as a formula. ' +
    `An instance runs at most ${MAX_CONCURRENT_EXPORTS} exports at once and one per user. Beyond that it answers 429 with Retry-After.`,
  security: bearerSecurity,
  request: { query: auditExportQuerySchema },
  responses: {
    200: {
      description: 'The CSV file',
      headers: z.object({
        'X-Export-Truncated': z.literal('true').optional().openapi({ description: `Present when more than ${MAX_EXPORT_ROWS} entries matched and the oldest were left out` }),
      }),
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403, 429),
  },
});

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(searchAuditRoute, async (c) => {
    const { caller } = c.var;
    const { limit, cursor, ...filters } = c.req.valid('query');
    const scope = auditReadScope(caller);
    const page = await inTenantScope(deps.sql, caller.scope, (tx) => searchAuditLog(tx, caller, scope, filters, { limit, cursor }));
    c.header('Cache-Control', 'no-store');
    return c.json({ entries: page.rows.map(toAuditEntry), nextCursor: page.nextCursor }, 200);
  });

  const exportSlots = new ExportSlots(MAX_CONCURRENT_EXPORTS);
  app.openapi(exportAuditRoute, async (c) => {
    const { caller, logger } = c.var;
    const filters = c.req.valid('query');
    const scope = auditReadScope(caller);
    // Reserved before the first await, so requests that arrive together are counted one by one.
    const release = exportSlots.reserve(caller.userId);
    let plan: AuditExportPlan;
    try {
      plan = await inTenantScope(deps.sql, caller.scope, (tx) => planAuditExport(tx, caller, scope, filters));
    } catch (error) {
      release();
      throw error;
    }

    const headers: Record<string, string> = {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="audit-log.csv"',
      'Cache-Control': 'no-store',
    };
    if (plan.truncated) headers['X-Export-Truncated'] = 'true';
    // Hono handles HEAD by running this GET handler and discarding the body without cancelling it, so a
    // stream started here would wait for a reader forever and keep its slot.
    if (c.req.method === 'HEAD') {
      release();
      return c.body(null, 200, headers);
    }

    const { newestId } = plan;
    const body = createPullStream(
      async (write) => {
        try {
          if (!(await write(AUDIT_CSV_HEADER)) || newestId === null) return;
          const result = await writeAuditCsv(deps.sql, caller, scope, filters, newestId, write);
          const message = result.cancelled ? 'audit export cancelled by the client' : 'audit log exported';
          logger.info({ rows: result.written, truncated: plan.truncated, userId: caller.userId }, message);
        } finally {
          release();
        }
      },
      (error) => logger.error({ err: error, userId: caller.userId }, 'audit export failed while streaming; the response was aborted'),
    );
    return c.body(body, 200, headers);
  });
}
