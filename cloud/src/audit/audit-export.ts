import type { Caller } from '../access/caller';
import type { Sql, TransactionSql } from '../db/connect';
import { inTenantScope } from '../db/scope';
import { AUDIT_COLUMNS, auditWhere, type AuditRow } from './audit-query';
import type { AuditReadScope } from './audit-scope';
import { csvRecord } from '@simtestlab/sync';
import type { StreamWrite } from './pull-stream';
import type { AuditFilters } from './schemas';

/** Maximum rows of one CSV export. The X-Export-Truncated header marks an export that left out older entries. */
export const MAX_EXPORT_ROWS = 100_000;

/** Rows read per page of an export, each page in its own transaction. */
const EXPORT_PAGE_ROWS = 1_000;

export const AUDIT_CSV_HEADER = csvRecord([
  'id',
  'at',
  'organizationId',
  'siteId',
  'actorType',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'before',
  'after',
  'ip',
  'userAgent',
  'requestId',
]);

/** The plan of one export: entries up to `newestId` (null when none match), and whether older ones are cut. */
export interface AuditExportPlan {
  newestId: string | null;
  truncated: boolean;
}

/**
 * Finds the newest matching entry and whether more than MAX_EXPORT_ROWS entries up to it match, so the
 * truncation header can be sent before the body. Bounding the export by that id keeps entries written
 * during a long download out of it.
 */
export async function planAuditExport(tx: TransactionSql, caller: Caller, scope: AuditReadScope, filters: AuditFilters): Promise<AuditExportPlan> {
  const [newest] = await tx<{ id: string }[]>`SELECT id FROM audit_log ${auditWhere(tx, caller, scope, filters)} ORDER BY id DESC LIMIT 1`;
  if (!newest) return { newestId: null, truncated: false };
  const beyond = await tx`
    SELECT 1 FROM audit_log ${auditWhere(tx, caller, scope, filters)} AND id <= ${newest.id}::bigint
    ORDER BY id DESC OFFSET ${MAX_EXPORT_ROWS} LIMIT 1`;
  return { newestId: newest.id, truncated: beyond.length > 0 };
}

function csvValues(row: AuditRow): (string | null)[] {
  return [
    row.id,
    row.at.toISOString(),
    row.organization_id,
    row.site_id,
    row.actor_type,
    row.actor_id,
    row.action,
    row.target_type,
    row.target_id,
    row.before === null ? null : JSON.stringify(row.before),
    row.after === null ? null : JSON.stringify(row.after),
    row.ip,
    row.user_agent,
    row.request_id,
  ];
}

/** Reads one page of the planned entries, newest first: those up to `newestId`, or below `belowId` once a page was read. */
function readExportPage(
  tx: TransactionSql,
  caller: Caller,
  scope: AuditReadScope,
  filters: AuditFilters,
  bound: { newestId: string; belowId: string | null },
  limit: number,
): Promise<AuditRow[]> {
  const below = bound.belowId === null ? tx`AND id <= ${bound.newestId}::bigint` : tx`AND id < ${bound.belowId}::bigint`;
  return tx<AuditRow[]>`
    SELECT ${tx(AUDIT_COLUMNS)} FROM audit_log
    ${auditWhere(tx, caller, scope, filters)} ${below}
    ORDER BY id DESC
    LIMIT ${limit}`;
}

/**
 * Writes the planned entries as CSV records, newest first, at most MAX_EXPORT_ROWS. Each page is read
 * in its own short transaction, and the wait for a slow reader happens between pages with no
 * transaction open, so a download keeps no pooled connection while the client reads. Pages go down by
 * id in an append-only table, so no entry is written twice. Stops early when the reader cancels.
 * Returns the number of records written and whether the reader cancelled.
 * NOTE: an entry whose transaction took its id before the plan but commits during the export can
 * appear in a later page although the plan did not count it; the caller may still read it.
 */
export async function writeAuditCsv(
  sql: Sql,
  caller: Caller,
  scope: AuditReadScope,
  filters: AuditFilters,
  newestId: string,
  write: StreamWrite,
): Promise<{ written: number; cancelled: boolean }> {
  let written = 0;
  let belowId: string | null = null;
  while (written < MAX_EXPORT_ROWS) {
    const limit = Math.min(EXPORT_PAGE_ROWS, MAX_EXPORT_ROWS - written);
    const bound = { newestId, belowId };
    const rows: AuditRow[] = await inTenantScope(sql, caller.scope, (tx) => readExportPage(tx, caller, scope, filters, bound, limit));
    if (rows.length === 0) break;
    if (!(await write(rows.map((row) => csvRecord(csvValues(row))).join('')))) return { written, cancelled: true };
    written += rows.length;
    if (rows.length < limit) break;
    belowId = rows[rows.length - 1]!.id;
  }
  return { written, cancelled: false };
}
