import { join } from 'node:path';
import { writeAuditEntry } from '../audit/audit-log';
import { openDatabase } from '../store/database';

/** Audit actions of the updater. */
export type UpdateAuditAction = 'update.available' | 'update.applied' | 'update.rolled_back';

/**
 * Appends an updater entry to the edge's local audit log in `<data>/edge.db`, as the system actor
 * `updater`. The target is the release version.
 */
export function writeUpdateAudit(dataDir: string, action: UpdateAuditAction, version: string, details: Record<string, unknown>): void {
  // NOTE: run as root (the update service), this may create edge.db's WAL files owned by root while the
  // edge node is stopped; SQLite removes them again when the connection closes cleanly.
  const db = openDatabase(join(dataDir, 'edge.db'));
  try {
    writeAuditEntry(db, { actorType: 'system', actorId: 'updater', action, targetType: 'release', targetId: version, details });
  } finally {
    db.close();
  }
}
