import { createHash } from 'node:crypto';
import type { AnyPoint, CatalogPoint, PointCatalogPayload } from '@simtestlab/sync';
import type { SqliteDatabase } from '../store/database';
import { queueEventIfEnabled } from './event-queue';

/** Builds the catalog of a device's registered points, with only the fields the hub reads. */
export function buildPointCatalog(deviceKey: string, points: readonly AnyPoint[]): PointCatalogPayload {
  const catalogPoints = points.map((point): CatalogPoint => {
    const entry: CatalogPoint = { key: point.key, unit: point.unit, kind: point.kind, dataType: point.dataType };
    if (point.name !== undefined) entry.name = point.name;
    if (point.role !== undefined) entry.role = point.role;
    return entry;
  });
  return { device: deviceKey, points: catalogPoints };
}

/**
 * Queues a `point_catalog` event for the device when the upload outbox is on and the catalog differs
 * from the one last queued for that device. The fingerprint is stored in the same transaction as the
 * event, so a crash cannot keep one without the other. Returns whether it queued an event.
 * Nothing is fingerprinted while the outbox is off. `startEdgeNode` turns it on before the runtime
 * registers points, so the first start after pairing queues the catalog of every device.
 */
export function queuePointCatalogIfChanged(db: SqliteDatabase, deviceKey: string, points: readonly AnyPoint[], nowMs: number): boolean {
  const catalog = buildPointCatalog(deviceKey, points);
  const fingerprint = createHash('sha256').update(JSON.stringify(catalog.points)).digest('hex');
  return db.transaction(() => {
    const stored = db.prepare<[string], { fingerprint: string }>('SELECT fingerprint FROM point_catalog_queued WHERE device_key = ?').get(deviceKey);
    if (stored?.fingerprint === fingerprint) return false;
    if (!queueEventIfEnabled(db, { kind: 'point_catalog', at: nowMs, payload: catalog })) return false;
    db.prepare(
      `INSERT INTO point_catalog_queued (device_key, fingerprint, queued_at) VALUES (?, ?, ?)
       ON CONFLICT (device_key) DO UPDATE SET fingerprint = excluded.fingerprint, queued_at = excluded.queued_at`,
    ).run(deviceKey, fingerprint, nowMs);
    return true;
  })();
}
