import { isAllowed, type Action } from '@simtestlab/sync';
import type { Caller } from '../access/caller';
import { organizationFilter, requireSite } from '../access/guards';
import type { TransactionSql } from '../db/connect';
import { invalidField } from './invalid-field';
import { TRANSITION_COLUMNS, type TransitionRow } from './alarm-rows';
import type { AlarmHistoryQuery } from './schemas';
import { parseQueryTime, QUERY_TIME_HINT } from '../api/query-time';

/** Postgres type id of uuid, for array parameters. */
const UUID_TYPE_ID = 2950;

/**
 * The sites whose history a caller reads: one site, every site (platform admins), or the sites of the
 * organizations they administer plus the sites they hold a grant for that allows the action.
 */
export type HistoryScope = { all: true } | { all: false; organizationIds: string[]; siteIds: string[] };

/** A history selection: the scope, the filters with times resolved, and the number of rows wanted. */
export interface HistorySelection {
  scope: HistoryScope;
  query: Omit<AlarmHistoryQuery, 'from' | 'to' | 'siteId' | 'limit'>;
  fromMs: number | null;
  toMs: number | null;
  limit: number;
}

/** Parses a `from` or `to` filter; raises 400 naming the parameter when it is not a time. */
function parseTime(parameter: 'from' | 'to', value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = parseQueryTime(value);
  if (Number.isNaN(ms)) throw invalidField(parameter, `"${value.slice(0, 60)}" is not a time: ${QUERY_TIME_HINT}`);
  return ms;
}

/**
 * Resolves the sites a history request covers. With `siteId` the caller needs `action` at that site: a
 * site they cannot open is 404, and one where their role does not allow it 403. Without `siteId` the
 * request covers every site where their role allows `action`. That stays within their own organizations
 * unless they are a platform admin.
 */
export async function resolveHistoryScope(tx: TransactionSql, caller: Caller, siteId: string | undefined, action: Action): Promise<HistoryScope> {
  if (siteId !== undefined) {
    const site = await requireSite(tx, caller, siteId, action);
    return { all: false, organizationIds: [], siteIds: [site.id] };
  }
  if (caller.platformAdmin) return { all: true };
  const organizationIds = caller.permissions.organizations
    .filter((membership) => isAllowed(caller.organizationPrincipal(membership.id), action))
    .map((membership) => membership.id);
  const siteIds = caller.permissions.sites
    .filter((grant) => isAllowed({ role: grant.role, developer: caller.permissions.developer }, action))
    .map((grant) => grant.id);
  return { all: false, organizationIds, siteIds };
}

/** Builds the selection of a request, with its times checked. */
export function historySelection(scope: HistoryScope, query: AlarmHistoryQuery): HistorySelection {
  const { from, to, siteId: _siteId, limit, ...filters } = query;
  const fromMs = parseTime('from', from);
  const toMs = parseTime('to', to);
  if (fromMs !== null && toMs !== null && fromMs >= toMs) {
    throw invalidField('to', '"from" must be before "to"');
  }
  return { scope, query: filters, fromMs, toMs, limit };
}

/** Position of a row in the history order (newest first), for paging. */
export interface HistoryCursor {
  at: Date;
  recordedSeq: string;
}

function historyWhere(tx: TransactionSql, caller: Caller, selection: HistorySelection, cursor: HistoryCursor | null) {
  const { scope, query, fromMs, toMs } = selection;
  const scopeFilter = scope.all
    ? tx``
    : tx`AND (site_id = ANY(${tx.array(scope.siteIds, UUID_TYPE_ID)}) OR organization_id = ANY(${tx.array(scope.organizationIds, UUID_TYPE_ID)}))`;
  return tx`
    WHERE true ${organizationFilter(tx, caller, 'organization_id')} ${scopeFilter}
      ${query.device === undefined ? tx`` : tx`AND device = ${query.device}`}
      ${query.point === undefined ? tx`` : tx`AND point = ${query.point}`}
      ${query.ruleId === undefined ? tx`` : tx`AND rule_id = ${query.ruleId}`}
      ${query.severity === undefined ? tx`` : tx`AND severity = ${query.severity}`}
      ${query.state === undefined ? tx`` : tx`AND to_state = ${query.state}`}
      ${query.action === undefined ? tx`` : tx`AND action = ${query.action}`}
      ${fromMs === null ? tx`` : tx`AND at >= ${new Date(fromMs)}`}
      ${toMs === null ? tx`` : tx`AND at < ${new Date(toMs)}`}
      ${cursor === null ? tx`` : tx`AND (at, recorded_seq) < (${cursor.at}, ${cursor.recordedSeq}::bigint)`}`;
}

/**
 * Reads up to `limit` transitions of the selection, newest first by the edge's time and then by the
 * order the hub recorded them, after `cursor` when given. Row-level security and the caller's
 * organizations bound the read as well.
 */
export function readHistoryRows(tx: TransactionSql, caller: Caller, selection: HistorySelection, limit: number, cursor: HistoryCursor | null = null) {
  return tx<TransitionRow[]>`
    SELECT ${tx(TRANSITION_COLUMNS)} FROM alarm_transitions
    ${historyWhere(tx, caller, selection, cursor)}
    ORDER BY at DESC, recorded_seq DESC
    LIMIT ${limit}`;
}

/** Checks whether more than `count` transitions match the selection. */
export async function historyExceeds(tx: TransactionSql, caller: Caller, selection: HistorySelection, count: number): Promise<boolean> {
  const beyond = await tx`
    SELECT 1 FROM alarm_transitions ${historyWhere(tx, caller, selection, null)}
    ORDER BY at DESC, recorded_seq DESC OFFSET ${count} LIMIT 1`;
  return beyond.length > 0;
}
