import type { Caller } from '../access/caller';
import type { TransactionSql } from '../db/connect';
import { AUDIT_COLUMNS, auditWhere, type AuditRow } from './audit-query';
import type { AuditReadScope } from './audit-scope';
import { csvRecord } from './csv';
import type { StreamWrite } from './pull-stream';
import type { AuditFilters } from './schemas';

/** Maximum rows of one CSV export. The X-Export-Truncated header marks an export that left out older entries. */
export const MAX_EXPORT_ROWS = 100_000;

/** Rows fetched from Postgres per cursor round trip. */
const CURSOR_BATCH_ROWS = 500;

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

/**
 * Writes the planned entries as CSV records, newest first, reading them through a cursor. Stops early
 * when the reader cancels. Returns the number of records written and whether the reader cancelled.
 */
export async function writeAuditCsv(
  tx: TransactionSql,
  caller: Caller,
  scope: AuditReadScope,
  filters: AuditFilters,
  newestId: string,
  write: StreamWrite,
): Promise<{ written: number; cancelled: boolean }> {
  let written = 0;
  const batches = tx<AuditRow[]>`
    SELECT ${tx(AUDIT_COLUMNS)} FROM audit_log
    ${auditWhere(tx, caller, scope, filters)} AND id <= ${newestId}::bigint
    ORDER BY id DESC
    LIMIT ${MAX_EXPORT_ROWS}`.cursor(CURSOR_BATCH_ROWS);
  for await (const rows of batches) {
    if (!(await write(rows.map((row) => csvRecord(csvValues(row))).join('')))) return { written, cancelled: true };
    written += rows.length;
  }
  return { written, cancelled: false };
}
