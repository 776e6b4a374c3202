import type { ChangeMessage, Row } from '@electric-sql/client';
import { shapeNames, shapeRowSchemas } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { applyShapeBatch, loadShapeState } from '../../src/sync/shape-store';
import { shapeTables } from '../../src/sync/shape-tables';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { captureLogger } from './support/capture-logger';

let dir: TempDir;
let db: SqliteDatabase;

beforeEach(() => {
  dir = makeTempDir('edge-sync-');
  db = openDatabase(`${dir.path}/edge.db`);
});

afterEach(() => {
  db.close();
  dir.remove();
});

function change(operation: 'insert' | 'update' | 'delete', value: Row): ChangeMessage<Row> {
  return { key: `"${String(value.id ?? value.kid)}"`, value, headers: { operation } };
}

function device(id: string, overrides: Row = {}): Row {
  return { id, site_id: 'site-1', node_id: null, key: `meter-${id}`, driver: 'modbus', config: { unitId: 1 }, ...overrides };
}

const devices = () => db.prepare('SELECT * FROM cloud_devices ORDER BY id').all();
const options = (offset: string, overrides: { refetch?: boolean; handle?: string } = {}) => ({
  handle: overrides.handle ?? 'h1',
  offset,
  refetch: overrides.refetch ?? false,
  logger: captureLogger().logger,
  now: () => 1_000,
});

describe('shape tables', () => {
  it.each(shapeNames)('%s columns match the row schema', (shape) => {
    expect(Object.keys(shapeTables[shape].columns).sort()).toEqual(Object.keys(shapeRowSchemas[shape].shape).sort());
  });

  it.each(shapeNames)('%s columns match the migrated table', (shape) => {
    const table = shapeTables[shape].table;
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    expect(columns.map((column) => column.name).sort()).toEqual(Object.keys(shapeTables[shape].columns).sort());
  });
});

describe('applyShapeBatch', () => {
  it('inserts rows with JSON and booleans encoded', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('1_0'));
    applyShapeBatch(
      db,
      'site',
      [
        change('insert', {
          id: 's1',
          organization_id: 'o1',
          name: 'Plant',
          time_zone: 'Europe/Berlin',
          latitude: 52.5,
          longitude: null,
          operator_control: true,
        }),
      ],
      options('1_0'),
    );

    expect(devices()).toEqual([{ id: 'd1', site_id: 'site-1', node_id: null, key: 'meter-d1', driver: 'modbus', config: '{"unitId":1}' }]);
    expect(db.prepare('SELECT latitude, longitude, operator_control FROM cloud_site').get()).toEqual({
      latitude: 52.5,
      longitude: null,
      operator_control: 1,
    });
  });

  it('treats insert of a stored key as upsert', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('1_0'));
    applyShapeBatch(db, 'devices', [change('insert', device('d1', { driver: 'mqtt' }))], options('2_0'));

    expect(devices()).toHaveLength(1);
    expect(db.prepare('SELECT driver FROM cloud_devices').get()).toEqual({ driver: 'mqtt' });
  });

  it('merges an update into the stored row', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('1_0'));
    applyShapeBatch(db, 'devices', [change('update', { id: 'd1', config: { unitId: 7 } })], options('2_0'));

    expect(devices()).toEqual([{ id: 'd1', site_id: 'site-1', node_id: null, key: 'meter-d1', driver: 'modbus', config: '{"unitId":7}' }]);
  });

  it('skips a partial update of an unknown row', () => {
    const { logger, lines } = captureLogger();
    const result = applyShapeBatch(db, 'devices', [change('update', { id: 'd9', driver: 'mqtt' })], { ...options('1_0'), logger });

    expect(result).toEqual({ applied: 0, skipped: 1 });
    expect(devices()).toEqual([]);
    expect(lines.some((line) => line.key === 'd9' && line.level === 40)).toBe(true);
  });

  it('deletes by key', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1')), change('insert', device('d2'))], options('1_0'));
    applyShapeBatch(db, 'devices', [change('delete', { id: 'd1' })], options('2_0'));

    expect(devices().map((row) => (row as { id: string }).id)).toEqual(['d2']);
  });

  it('uses the shape key column', () => {
    applyShapeBatch(db, 'jwks', [change('insert', { kid: 'k1', jwk: { kty: 'OKP' } })], options('1_0'));
    applyShapeBatch(db, 'jwks', [change('delete', { kid: 'k1' })], options('2_0'));

    expect(db.prepare('SELECT * FROM cloud_jwks').all()).toEqual([]);
  });

  it('replaces the rows on refetch', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1')), change('insert', device('d2'))], options('1_0'));
    applyShapeBatch(db, 'devices', [change('insert', device('d3'))], options('0_0', { refetch: true, handle: 'h2' }));

    expect(devices().map((row) => (row as { id: string }).id)).toEqual(['d3']);
    expect(loadShapeState(db, 'devices')).toEqual({ handle: 'h2', offset: '0_0', updatedAt: 1_000 });
  });

  it('empties the shape on a refetch without rows', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('1_0'));
    applyShapeBatch(db, 'devices', [], options('0_0', { refetch: true, handle: 'h2' }));

    expect(devices()).toEqual([]);
  });

  it('leaves other shapes alone on refetch', () => {
    applyShapeBatch(db, 'jwks', [change('insert', { kid: 'k1', jwk: { kty: 'OKP' } })], options('1_0'));
    applyShapeBatch(db, 'devices', [], options('0_0', { refetch: true }));

    expect(db.prepare('SELECT kid FROM cloud_jwks').all()).toEqual([{ kid: 'k1' }]);
  });

  it('skips a bad row and applies the rest', () => {
    const { logger, lines } = captureLogger();
    const bad = device('d2', { config: 'not an object' });
    const result = applyShapeBatch(db, 'devices', [change('insert', device('d1')), change('insert', bad), change('insert', device('d3'))], {
      ...options('1_0'),
      logger,
    });

    expect(result).toEqual({ applied: 2, skipped: 1 });
    expect(devices().map((row) => (row as { id: string }).id)).toEqual(['d1', 'd3']);
    expect(loadShapeState(db, 'devices')?.offset).toBe('1_0');
    const warning = lines.find((line) => line.key === 'd2');
    expect(warning?.shape).toBe('devices');
    expect(warning?.issues).toEqual([expect.objectContaining({ path: ['config'] })]);
  });

  it('skips a row without its key column', () => {
    const result = applyShapeBatch(db, 'devices', [change('delete', { name: 'no id' })], options('1_0'));

    expect(result).toEqual({ applied: 0, skipped: 1 });
  });

  it('stores handle and offset', () => {
    expect(loadShapeState(db, 'devices')).toBeUndefined();

    applyShapeBatch(db, 'devices', [], options('3_1'));

    expect(loadShapeState(db, 'devices')).toEqual({ handle: 'h1', offset: '3_1', updatedAt: 1_000 });
  });

  it('keeps rows and offset on failure mid-batch', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('1_0'));
    // A real SQLite error on the second row of the next batch.
    db.exec(`CREATE TRIGGER fail_d3 BEFORE INSERT ON cloud_devices WHEN NEW.id = 'd3' BEGIN SELECT RAISE(ABORT, 'refused d3'); END`);

    const batch = [change('delete', { id: 'd1' }), change('insert', device('d2')), change('insert', device('d3'))];
    expect(() => applyShapeBatch(db, 'devices', batch, options('2_0', { handle: 'h2' }))).toThrow(/refused d3/);

    expect(devices().map((row) => (row as { id: string }).id)).toEqual(['d1']);
    expect(loadShapeState(db, 'devices')).toEqual({ handle: 'h1', offset: '1_0', updatedAt: 1_000 });
  });

  it('keeps state across reopen', () => {
    applyShapeBatch(db, 'devices', [change('insert', device('d1'))], options('4_2'));
    db.close();
    db = openDatabase(`${dir.path}/edge.db`);

    expect(loadShapeState(db, 'devices')?.offset).toBe('4_2');
    expect(devices()).toHaveLength(1);
  });
});
