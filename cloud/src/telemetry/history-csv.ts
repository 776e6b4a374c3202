import { csvRecord } from '@simtestlab/sync';
import type { StreamWrite } from '../audit/pull-stream';
import type { Sql } from '../db/connect';
import { inTenantScope, type TenantScope } from '../db/scope';
import { readHistoryRows, type HistoryRow, type HistorySelection } from './history-query';

/** Buckets read per page of a CSV export, each page in its own transaction. */
const CSV_PAGE_ROWS = 5_000;

export const HISTORY_CSV_HEADER = csvRecord(['point', 'resolution', 'start', 'end', 'count', 'avg', 'min', 'max', 'last', 'delta', 'estimated']);

function csvValues(row: HistoryRow, resolution: string): (string | number | null)[] {
  return [
    row.point,
    resolution,
    new Date(row.start).toISOString(),
    new Date(row.end).toISOString(),
    row.count,
    row.avg,
    row.min,
    row.max,
    row.last,
    row.delta,
    row.estimated ? 'true' : 'false',
  ];
}

/**
 * Writes the selected buckets as CSV records, by point and then time. Each page is read in its own short
 * transaction and the wait for a slow reader happens between pages, so a download keeps no pooled
 * connection while the client reads. Stops early when the reader cancels. Returns the records written
 * and whether the reader cancelled.
 */
export async function writeHistoryCsv(sql: Sql, scope: TenantScope, selection: HistorySelection, write: StreamWrite): Promise<{ written: number; cancelled: boolean }> {
  let written = 0;
  let after: { point: string; start: number } | null = null;
  for (;;) {
    const cursor = after;
    const rows: HistoryRow[] = await inTenantScope(sql, scope, (tx) => readHistoryRows(tx, selection, CSV_PAGE_ROWS, cursor));
    if (rows.length === 0) break;
    if (!(await write(rows.map((row) => csvRecord(csvValues(row, selection.resolution))).join('')))) return { written, cancelled: true };
    written += rows.length;
    if (rows.length < CSV_PAGE_ROWS) break;
    const last = rows[rows.length - 1]!;
    after = { point: last.point, start: last.start };
  }
  return { written, cancelled: false };
}
