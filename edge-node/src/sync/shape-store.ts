import type { ChangeMessage, Row } from '@electric-sql/client';
import { shapeKeyColumns, shapeRowSchemas, type ShapeName } from '@simtestlab/sync';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { decodeRow, encodeRow, shapeTables, type ShapeTable, type StoredRow } from './shape-tables';

/** Position in a shape's log that a restart resumes from. */
export interface ShapeState {
  handle: string;
  offset: string;
  /** When the state was stored, epoch ms. */
  updatedAt: number;
}

export interface ApplyShapeBatchOptions {
  handle: string;
  offset: string;
  /** Replace the shape's rows: delete them all before applying the batch, which is a fresh snapshot. */
  refetch: boolean;
  logger: Logger;
  /** Clock for `updated_at`, epoch ms. */
  now?: () => number;
}

export interface ApplyShapeBatchResult {
  applied: number;
  /** Change messages skipped because their row was invalid or had no key. */
  skipped: number;
}

/** Reads the handle and offset stored for a shape, or undefined before its first batch. */
export function loadShapeState(db: SqliteDatabase, shape: ShapeName): ShapeState | undefined {
  const row = db
    .prepare<[string], { handle: string; offset: string; updated_at: number }>(
      'SELECT handle, "offset", updated_at FROM shape_state WHERE shape = ?',
    )
    .get(shape);
  return row ? { handle: row.handle, offset: row.offset, updatedAt: row.updated_at } : undefined;
}

/**
 * Applies one batch of change messages and stores the shape's handle and offset, all in one
 * transaction, so after a crash the rows and the stored offset still match. An insert is an upsert,
 * an update merges its columns into the stored row, and a delete removes the row by key. A row that
 * fails the shape's row schema is logged and skipped, and the rest of the batch is still applied.
 * Throws when SQLite fails, and then nothing of the batch is stored.
 */
export function applyShapeBatch(
  db: SqliteDatabase,
  shape: ShapeName,
  messages: readonly ChangeMessage<Row>[],
  options: ApplyShapeBatchOptions,
): ApplyShapeBatchResult {
  const table = shapeTables[shape];
  const keyColumn = shapeKeyColumns[shape];
  const columns = Object.keys(table.columns);
  const select = db.prepare<[unknown], StoredRow>(`SELECT * FROM ${table.table} WHERE ${keyColumn} = ?`);
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO ${table.table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`,
  );
  const remove = db.prepare(`DELETE FROM ${table.table} WHERE ${keyColumn} = ?`);
  const storeState = db.prepare(
    'INSERT OR REPLACE INTO shape_state (shape, handle, "offset", updated_at) VALUES (?, ?, ?, ?)',
  );
  const result: ApplyShapeBatchResult = { applied: 0, skipped: 0 };

  // NOTE: the stored offset moves past a skipped row, so the row stays missing until the hub changes it
  // again or the shape is refetched.
  const skip = (key: unknown, message: string, fields: Record<string, unknown> = {}) => {
    result.skipped++;
    options.logger.warn({ shape, key, ...fields }, `skipped synced ${shape} row ${String(key)}: ${message}`);
  };

  // IMMEDIATE takes the write lock before the first read, so an update's read-then-write cannot fail
  // with SQLITE_BUSY_SNAPSHOT when the commit worker's connection writes in between.
  db.transaction(() => {
    if (options.refetch) db.prepare(`DELETE FROM ${table.table}`).run();

    for (const message of messages) {
      const key = message.value[keyColumn];
      if (typeof key !== 'string' || key === '') {
        skip(message.key, `the value has no ${keyColumn}`);
        continue;
      }

      if (message.headers.operation === 'delete') {
        remove.run(key);
        result.applied++;
        continue;
      }

      const row = message.headers.operation === 'update' ? mergeWithStored(table, select.get(key), message.value) : message.value;
      const parsed = shapeRowSchemas[shape].safeParse(row);
      if (!parsed.success) {
        skip(key, 'the row does not match the shape schema', { issues: parsed.error.issues });
        continue;
      }
      upsert.run(encodeRow(table, parsed.data));
      result.applied++;
    }

    storeState.run(shape, options.handle, options.offset, (options.now ?? Date.now)());
  }).immediate();

  return result;
}

/**
 * Merges an update's columns into the stored row. An update for a row that is not stored keeps only
 * its own columns, so it passes the schema only when it carries every column.
 */
function mergeWithStored(table: ShapeTable, stored: StoredRow | undefined, changes: Row): Record<string, unknown> {
  return stored ? { ...decodeRow(table, stored), ...changes } : { ...changes };
}
