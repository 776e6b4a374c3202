import { join } from 'node:path';
import { pointCatalogPayloadSchema } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logger';
import { EdgeRuntime } from '../../src/runtime/edge-runtime';
import { openDatabase, type SqliteDatabase } from '../../src/store/database';
import { UPLOAD_QUEUE_META_KEY } from '../../src/upload/event-queue';
import { queuePointCatalogIfChanged } from '../../src/upload/point-catalog-queue';
import { testSiteConfig } from '../api/api-fixture';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { queuedEvents } from './support/upload-store';

// The edge nodes here start no pollers, so the Modbus connection below is never opened.
function inverter(roles: Record<string, string>) {
  return {
    key: 'inverter',
    driver: 'modbus-tcp',
    pollIntervalMs: 10_000,
    connection: { host: '127.0.0.1', port: 15031 },
    roles,
    points: [
      { key: 'W', address: 0, unit: 'W' },
      { key: 'WH', address: 2, unit: 'Wh', dataType: 'uint32', kind: 'counter' },
    ],
  };
}

let dir: TempDir;
let databasePath: string;

beforeEach(() => {
  dir = makeTempDir('edge-point-catalog-');
  databasePath = join(dir.path, 'edge.db');
});

afterEach(() => dir.remove());

/** Starts and stops an edge node on the test database, which registers the devices' points once. */
async function runOnce(roles: Record<string, string>): Promise<void> {
  const runtime = new EdgeRuntime({ config: testSiteConfig({ devices: [inverter(roles)] }), databasePath, logger: createSilentLogger(), startPollers: false });
  try {
    await runtime.start();
  } finally {
    await runtime.stop();
  }
}

function withDatabase<T>(use: (db: SqliteDatabase) => T): T {
  const db = openDatabase(databasePath);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const pair = () => withDatabase((db) => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(UPLOAD_QUEUE_META_KEY, '1'));
const catalogEvents = () => withDatabase((db) => queuedEvents(db).filter((event) => event.kind === 'point_catalog'));

describe('point catalog upload', () => {
  it('queues one catalog per registration', async () => {
    pair();
    await runOnce({ W: 'pv', WH: 'pv' });

    const events = catalogEvents();
    expect(events).toHaveLength(1);
    const payload = pointCatalogPayloadSchema.parse(JSON.parse(events[0]!.payload));
    expect(payload.device).toBe('inverter');
    expect(payload.points).toEqual([
      { key: 'W', unit: 'W', kind: 'gauge', dataType: 'float32', role: 'pv' },
      { key: 'WH', unit: 'Wh', kind: 'counter', dataType: 'uint32', role: 'pv' },
    ]);
  });

  it('queues none after an unchanged restart', async () => {
    pair();
    await runOnce({ W: 'pv' });
    await runOnce({ W: 'pv' });

    expect(catalogEvents()).toHaveLength(1);
  });

  it('queues again when the roles change', async () => {
    pair();
    await runOnce({ W: 'pv' });
    await runOnce({ W: 'grid' });

    const events = catalogEvents();
    expect(events).toHaveLength(2);
    expect(pointCatalogPayloadSchema.parse(JSON.parse(events[1]!.payload)).points[0]!.role).toBe('grid');
  });

  it('queues nothing on an unpaired edge', async () => {
    await runOnce({ W: 'pv' });

    expect(catalogEvents()).toHaveLength(0);
    expect(withDatabase((db) => db.prepare('SELECT count(*) AS count FROM point_catalog_queued').get())).toEqual({ count: 0 });
  });

  it('queues discovered points of a registered device', () => {
    pair();
    withDatabase((db) => {
      const points = testSiteConfig({ devices: [inverter({})] }).devices[0]!.points;
      expect(queuePointCatalogIfChanged(db, 'inverter', points.slice(0, 1), 1)).toBe(true);
      expect(queuePointCatalogIfChanged(db, 'inverter', points.slice(0, 1), 2)).toBe(false);
      expect(queuePointCatalogIfChanged(db, 'inverter', points, 3)).toBe(true);
    });
    expect(catalogEvents().map((event) => JSON.parse(event.payload).points.length)).toEqual([1, 2]);
  });
});
