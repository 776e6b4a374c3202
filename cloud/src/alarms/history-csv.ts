import type { Caller } from '../access/caller';
import { csvRecord } from '@simtestlab/sync';
import type { StreamWrite } from '../audit/pull-stream';
import type { Sql } from '../db/connect';
import { inTenantScope } from '../db/scope';
import type { TransitionRow } from './alarm-rows';
import { readHistoryRows, type HistoryCursor, type HistorySelection } from './history-query';

/** Transitions read per page of a CSV export, each page in its own transaction. */
const CSV_PAGE_ROWS = 1_000;

export const ALARM_HISTORY_CSV_HEADER = csvRecord([
  'at',
  'siteId',
  'ruleId',
  'severity',
  'action',
  'from',
  'to',
  'point',
  'device',
  'value',
  'message',
  'user',
  'userOrigin',
  'comment',
  'shelvedUntil',
  'occurrence',
  'seq',
  'id',
  'requestId',
  'recordedAt',
]);

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/** Keeps a number a number, so the formula guard of csvField does not quote a negative value. */
function csvValue(value: TransitionRow['value']): string | number | null {
  if (value === null || typeof value === 'number') return value;
  return String(value);
}

function csvValues(row: TransitionRow): (string | number | null)[] {
  return [
    row.at.toISOString(),
    row.site_id,
    row.rule_id,
    row.severity,
    row.action,
    row.from_state,
    row.to_state,
    row.point,
    row.device,
    csvValue(row.value),
    row.message,
    row.user === null ? null : row.user.name || row.user.id,
    row.user?.origin ?? null,
    row.comment,
    iso(row.shelved_until),
    row.occurrence,
    row.seq,
    row.id,
    row.request_id,
    row.recorded_at.toISOString(),
  ];
}

/**
 * Writes up to `selection.limit` transitions as CSV records, newest first. Each page is read in its own
 * short transaction and the wait for a slow reader happens between pages, so a download keeps no pooled
 * connection while the client reads. Stops early when the reader cancels. Returns the records written
 * and whether the reader cancelled.
 * NOTE: a transition uploaded during the export with a time older than the page being read appears in
 * the export, so the count may differ from what the truncation check saw.
 */
export async function writeAlarmHistoryCsv(
  sql: Sql,
  caller: Caller,
  selection: HistorySelection,
  write: StreamWrite,
): Promise<{ written: number; cancelled: boolean }> {
  let written = 0;
  let cursor: HistoryCursor | null = null;
  while (written < selection.limit) {
    const limit = Math.min(CSV_PAGE_ROWS, selection.limit - written);
    const after: HistoryCursor | null = cursor;
    const rows: TransitionRow[] = await inTenantScope(sql, caller.scope, (tx) => readHistoryRows(tx, caller, selection, limit, after));
    if (rows.length === 0) break;
    if (!(await write(rows.map((row) => csvRecord(csvValues(row))).join('')))) return { written, cancelled: true };
    written += rows.length;
    if (rows.length < limit) break;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at, recordedSeq: last.recorded_seq };
  }
  return { written, cancelled: false };
}
