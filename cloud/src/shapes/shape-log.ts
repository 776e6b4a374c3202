import type { ShapeName } from '@simtestlab/sync';
import type { Sql, TransactionSql } from '../db/connect';
import { changeOffset, snapshotOffset } from './shape-offset';

/** The rows of one shape that one edge receives: its own site's, or the global rows for `jwks`. */
export interface ShapeStream {
  shape: ShapeName;
  organizationId: string;
  siteId: string;
}

/** A row of a shape in protocol form: the key and the columns in Postgres text format. */
export interface ShapeChange {
  key: string;
  value: Record<string, string | null>;
  operation: 'insert' | 'update' | 'delete';
}

/** A read whose handle is no longer the stream's: the client must drop its rows and refetch. */
export interface StaleHandle {
  kind: 'stale';
  handle: string;
}

export interface ShapePage {
  kind: 'page';
  handle: string;
  changes: ShapeChange[];
  /** Offset of the last change in `changes`, or null when there is none. */
  offset: string | null;
  /** Whether more rows follow at once: the page was full, or a snapshot of several pages has ended. */
  more: boolean;
  /** Whether committed changes wait behind an older transaction still running (log reads only). */
  pending: boolean;
}

/** Tables whose rows map one to one to shape rows keyed by `id` and filtered by `site_id`. */
const siteTables = {
  site_nodes: 'site_nodes',
  devices: 'devices',
  points: 'points',
  alarm_rules: 'alarm_rules',
} as const satisfies Partial<Record<ShapeName, string>>;

/** Returns the site_id the change log stores for a stream: null for shapes shared by every site. */
export function logSiteId(stream: ShapeStream): string | null {
  return stream.shape === 'jwks' ? null : stream.siteId;
}

/** Formats a stream's handle, which changes whenever pruning removes part of its log. */
export function shapeHandle(stream: ShapeStream, generation: number): string {
  return `${stream.shape}-${stream.siteId}-${generation}`;
}

/** Runs `work` in a read-only REPEATABLE READ transaction whose row-level security scope is one organization. */
async function inReadSnapshot<T>(sql: Sql, organizationId: string, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await sql.begin('isolation level repeatable read read only', async (tx) => {
    await tx`SELECT set_config('app.all_organizations', 'off', true),
                    set_config('app.organization_ids', ${`{${organizationId}}`}, true)`;
    return work(tx);
  });
  return result as T;
}

async function currentHandle(tx: TransactionSql, stream: ShapeStream): Promise<string> {
  const site = logSiteId(stream);
  const [row] = await tx<{ generation: number }[]>`
    SELECT generation FROM change_log_generations
    WHERE shape = ${stream.shape} AND ${site === null ? tx`site_id IS NULL` : tx`site_id = ${site}`}`;
  return shapeHandle(stream, row?.generation ?? 1);
}

function snapshotRows(tx: TransactionSql, stream: ShapeStream, afterKey: string | null, limit: number) {
  const { organizationId, siteId } = stream;
  switch (stream.shape) {
    case 'site':
      return tx<{ key: string; value: ShapeChange['value'] }[]>`
        SELECT t.id::text AS key, shape_value_site(t) AS value FROM sites t
        WHERE t.id = ${siteId} AND t.organization_id = ${organizationId}`;
    case 'site_users':
      return tx<{ key: string; value: ShapeChange['value'] }[]>`
        SELECT t.user_id::text AS key, t.value FROM site_users_current(NULL, ${siteId}) t
        WHERE t.organization_id = ${organizationId} ${afterKey === null ? tx`` : tx`AND t.user_id > ${afterKey}`}
        ORDER BY t.user_id LIMIT ${limit}`;
    case 'energy_settings':
      // A site has at most one row, so this shape is always one page.
      return tx<{ key: string; value: ShapeChange['value'] }[]>`
        SELECT t.site_id::text AS key, shape_value_energy_settings(t) AS value FROM site_energy_settings t
        WHERE t.site_id = ${siteId} AND t.organization_id = ${organizationId}`;
    case 'jwks':
      // The hub has a handful of signing keys at most, so this shape is always one page.
      return tx<{ key: string; value: ShapeChange['value'] }[]>`
        SELECT t.kid AS key, shape_value_jwks(t) AS value FROM jwks_keys t ORDER BY t.kid`;
    default: {
      const table = siteTables[stream.shape];
      return tx<{ key: string; value: ShapeChange['value'] }[]>`
        SELECT t.id::text AS key, ${tx(`shape_value_${stream.shape}`)}(t) AS value FROM ${tx(table)} t
        WHERE t.site_id = ${siteId} AND t.organization_id = ${organizationId}
          ${afterKey === null ? tx`` : tx`AND t.id > ${afterKey}`}
        ORDER BY t.id LIMIT ${limit}`;
    }
  }
}

/**
 * Reads one page of a stream's snapshot, ordered by key. The first page (`horizonXid` null) fixes the
 * horizon: the oldest transaction still running, minus one. Every later page reads the rows after
 * `afterKey` in a new snapshot, and the log is read on from the horizon afterwards. Changes that a
 * snapshot already shows are then sent again, which is harmless: insert and update values are whole
 * rows that clients apply as upserts, and changes arrive in commit order, so the last one wins.
 */
export async function readSnapshotPage(
  sql: Sql,
  stream: ShapeStream,
  position: { horizonXid: bigint; afterKey: string; handle: string } | null,
  pageSize: number,
): Promise<ShapePage | StaleHandle> {
  return inReadSnapshot(sql, stream.organizationId, async (tx) => {
    const handle = await currentHandle(tx, stream);
    if (position !== null && position.handle !== handle) return { kind: 'stale', handle };

    const [snapshot] = await tx<{ xmin: string }[]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`;
    const horizonXid = position?.horizonXid ?? BigInt(snapshot!.xmin) - 1n;
    const rows = await snapshotRows(tx, stream, position?.afterKey ?? null, pageSize + 1);
    const full = rows.length > pageSize;
    const page = full ? rows.slice(0, pageSize) : [...rows];
    const changes = page.map((row): ShapeChange => ({ key: row.key, value: row.value, operation: 'insert' }));
    return {
      kind: 'page',
      handle,
      changes,
      offset: snapshotOffset(horizonXid, full ? page.at(-1)!.key : 'end'),
      // After a snapshot of several pages the client reads the log before it is up to date, so it
      // never applies rows from different snapshots without the changes between them.
      more: full || position !== null,
      pending: false,
    };
  });
}

/**
 * Reads the changes after (`xid`, `id`), oldest first. Only changes of transactions older than every
 * transaction still running are read, because change_log ids are taken before commit: a change with a
 * higher id can commit first, and reading it would move the offset past one still to come.
 * NOTE: that horizon spans the whole Postgres cluster, so a long write transaction in any of its
 * databases delays every stream until it ends.
 */
export async function readChanges(
  sql: Sql,
  stream: ShapeStream,
  after: { xid: bigint; id: bigint; handle: string },
  pageSize: number,
): Promise<ShapePage | StaleHandle> {
  return inReadSnapshot(sql, stream.organizationId, async (tx) => {
    // The log only reaches back to the handle's generation: pruning raises it, so a stale handle
    // is also the test for an offset older than the retained log.
    const handle = await currentHandle(tx, stream);
    if (after.handle !== handle) return { kind: 'stale', handle };

    const site = logSiteId(stream);
    const inStream = site === null ? tx`site_id IS NULL AND organization_id IS NULL` : tx`site_id = ${site} AND organization_id = ${stream.organizationId}`;
    const rows = await tx<{ id: string; xid: string; row_key: string; operation: ShapeChange['operation']; value: ShapeChange['value'] }[]>`
      SELECT id::text, xid::text, row_key, operation, value FROM change_log
      WHERE shape = ${stream.shape} AND ${inStream}
        AND (xid, id) > (${after.xid.toString()}::xid8, ${after.id.toString()}::bigint)
        AND xid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY xid, id
      LIMIT ${pageSize + 1}`;

    // A change visible here but not read is committed and waits for an older transaction to end.
    let pending = false;
    if (rows.length === 0) {
      const [waiting] = await tx<{ pending: boolean }[]>`
        SELECT EXISTS (
          SELECT 1 FROM change_log
          WHERE shape = ${stream.shape} AND ${inStream}
            AND (xid, id) > (${after.xid.toString()}::xid8, ${after.id.toString()}::bigint)
            AND xid >= pg_snapshot_xmin(pg_current_snapshot())
        ) AS pending`;
      pending = waiting!.pending;
    }
    const full = rows.length > pageSize;
    const page = full ? rows.slice(0, pageSize) : rows;
    const last = page.at(-1);
    return {
      kind: 'page',
      handle,
      changes: page.map((row): ShapeChange => ({ key: row.row_key, value: row.value, operation: row.operation })),
      offset: last === undefined ? null : changeOffset(BigInt(last.xid), BigInt(last.id)),
      more: full,
      pending,
    };
  });
}

/**
 * Deletes changes created before `olderThan` and raises the generation of every stream that lost
 * some, so clients of those streams refetch. Returns the number of changes deleted.
 */
export async function pruneChangeLog(sql: Sql, olderThan: Date): Promise<number> {
  const [row] = await sql<{ deleted: number }[]>`SELECT change_log_prune(${olderThan}) AS deleted`;
  return row!.deleted;
}
