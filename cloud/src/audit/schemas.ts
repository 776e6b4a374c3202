import { z } from '@hono/zod-openapi';

/** Largest bigint Postgres stores. A larger cursor would fail in the query instead of in validation. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

const timestamp = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true, error: 'expected an ISO 8601 date and time with an offset, such as 2024-05-01T00:00:00Z' })
    .optional()
    .openapi({ param: { name, in: 'query' }, description, example: '2024-05-01T00:00:00Z' });

/** Filters shared by the search and the CSV export. Each one narrows the entries the caller may read. */
export const auditFilterFields = {
  organizationId: z.guid().optional().openapi({ param: { name: 'organizationId', in: 'query' }, description: 'Entries of this organization' }),
  siteId: z.guid().optional().openapi({ param: { name: 'siteId', in: 'query' }, description: 'Entries of this site' }),
  actorId: z.string().min(1).max(200).optional().openapi({ param: { name: 'actorId', in: 'query' }, description: 'Entries made by this user id, edge node id or `cli`' }),
  action: z
    .string()
    .regex(/^[^*]{1,100}\*?$/, 'expected an action such as site.update, or a prefix ending in * such as site_access.*')
    .optional()
    .openapi({ param: { name: 'action', in: 'query' }, description: 'Exact action, or a prefix followed by `*`', example: 'site_access.*' }),
  targetType: z.string().min(1).max(100).optional().openapi({ param: { name: 'targetType', in: 'query' }, example: 'site' }),
  targetId: z.string().min(1).max(200).optional().openapi({ param: { name: 'targetId', in: 'query' } }),
  from: timestamp('from', 'Entries at or after this time'),
  to: timestamp('to', 'Entries before this time'),
};

/** Checks that a time range with both ends given does not end before it starts. */
function rangeIsOrdered(filters: { from?: string | undefined; to?: string | undefined }): boolean {
  return filters.from === undefined || filters.to === undefined || Date.parse(filters.from) <= Date.parse(filters.to);
}
const rangeError = { message: 'must not be earlier than from', path: ['to'] };

export const auditExportQuerySchema = z.object(auditFilterFields).refine(rangeIsOrdered, rangeError);

export const auditSearchQuerySchema = z
  .object({
    ...auditFilterFields,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(100)
      .openapi({ param: { name: 'limit', in: 'query' }, description: 'Entries per page, 1 to 500', example: 100 }),
    cursor: z
      .string()
      .refine((value) => /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT, 'expected the nextCursor of a previous page')
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' }, description: 'The nextCursor of the previous page' }),
  })
  .refine(rangeIsOrdered, rangeError);

export type AuditFilters = z.infer<typeof auditExportQuerySchema>;

export const auditEntrySchema = z
  .object({
    /** Increases with every entry, and pages are ordered by it, newest first. */
    id: z.string().openapi({ example: '1042' }),
    at: z.string().openapi({ example: '2024-05-01T08:30:00.000Z' }),
    organizationId: z.string().nullable(),
    siteId: z.string().nullable(),
    actorType: z.enum(['user', 'edge', 'system']),
    actorId: z.string().nullable(),
    action: z.string().openapi({ example: 'site.update' }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown().openapi({ description: 'State of the target before the change, or null when it did not exist' }),
    after: z.unknown().openapi({ description: 'State of the target after the change, or null when it no longer exists' }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

export const auditPageSchema = z
  .object({
    entries: z.array(auditEntrySchema),
    /** Cursor of the next, older page, to pass as `cursor`, or null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .openapi('AuditPage');
