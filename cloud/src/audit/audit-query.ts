import { organizationFilter } from '../access/guards';
import type { Caller } from '../access/caller';
import type { TransactionSql } from '../db/connect';
import type { AuditReadScope } from './audit-scope';
import type { AuditFilters } from './schemas';

/** A row of the audit log as the queries select it; postgres.js returns the bigint id as a string. */
export interface AuditRow {
  id: string;
  at: Date;
  organization_id: string | null;
  site_id: string | null;
  actor_type: 'user' | 'edge' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
}

export const AUDIT_COLUMNS = [
  'id',
  'at',
  'organization_id',
  'site_id',
  'actor_type',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'request_id',
];

/** Converts an audit row to its API shape. */
export function toAuditEntry(row: AuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    organizationId: row.organization_id,
    siteId: row.site_id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
  };
}

/** Escapes the LIKE wildcards (and the escape character itself) in a literal prefix. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function actionCondition(tx: TransactionSql, action: string | undefined) {
  if (action === undefined) return tx``;
  if (!action.endsWith('*')) return tx`AND action = ${action}`;
  return tx`AND action LIKE ${`${escapeLike(action.slice(0, -1))}%`} ESCAPE '\\'`;
}

function scopeCondition(tx: TransactionSql, scope: AuditReadScope) {
  if (scope.all) return tx``;
  return tx`AND (organization_id = ANY(${tx.array(scope.organizationIds, 2950)}) OR site_id = ANY(${tx.array(scope.siteIds, 2950)}))`;
}

/**
 * The WHERE clause of every audit query: the caller's organizations (as for every tenant table), the
 * caller's audit read scope, then the filters. Row-level security applies on top of all three.
 */
export function auditWhere(tx: TransactionSql, caller: Caller, scope: AuditReadScope, filters: AuditFilters) {
  return tx`
    WHERE true ${organizationFilter(tx, caller, 'organization_id')}
      ${scopeCondition(tx, scope)}
      ${filters.organizationId === undefined ? tx`` : tx`AND organization_id = ${filters.organizationId}`}
      ${filters.siteId === undefined ? tx`` : tx`AND site_id = ${filters.siteId}`}
      ${filters.actorId === undefined ? tx`` : tx`AND actor_id = ${filters.actorId}`}
      ${actionCondition(tx, filters.action)}
      ${filters.targetType === undefined ? tx`` : tx`AND target_type = ${filters.targetType}`}
      ${filters.targetId === undefined ? tx`` : tx`AND target_id = ${filters.targetId}`}
      ${filters.from === undefined ? tx`` : tx`AND at >= ${new Date(filters.from)}`}
      ${filters.to === undefined ? tx`` : tx`AND at < ${new Date(filters.to)}`}`;
}

/** Reads one page, newest first, starting below `cursor` (an id); `nextCursor` is null on the last page. */
export async function searchAuditLog(
  tx: TransactionSql,
  caller: Caller,
  scope: AuditReadScope,
  filters: AuditFilters,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const rows = await tx<AuditRow[]>`
    SELECT ${tx(AUDIT_COLUMNS)} FROM audit_log
    ${auditWhere(tx, caller, scope, filters)}
      ${page.cursor === undefined ? tx`` : tx`AND id < ${page.cursor}::bigint`}
    ORDER BY id DESC
    LIMIT ${page.limit + 1}`;
  // The extra row only shows whether another page exists.
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : [...rows];
  return { rows: pageRows, nextCursor: hasMore ? pageRows[pageRows.length - 1]!.id : null };
}
