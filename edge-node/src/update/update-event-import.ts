import { writeAuditEntry } from '../audit/audit-log';
import type { Logger } from '../logger';
import type { SqliteDatabase } from '../store/database';
import { readUpdateEvents } from './update-events';

/** Actor id of updater entries in the audit log. */
const UPDATER_ACTOR_ID = 'updater';

/**
 * Copies the updater's events from its state folder into the local audit log, as the system actor
 * `updater`, skipping events imported before (matched by the event id kept in the entry's details). The
 * edge node calls it at start, as the service user, and only reads the events file, which root owns.
 * Returns the number of entries added.
 */
export function importUpdateEvents(db: SqliteDatabase, stateDir: string, logger: Logger): number {
  let read: ReturnType<typeof readUpdateEvents>;
  try {
    read = readUpdateEvents(stateDir);
  } catch (error) {
    logger.warn({ err: error, stateDir }, 'reading the updater events failed; they stay for the next start');
    return 0;
  }
  if (read.invalidLines > 0) logger.warn({ stateDir, invalidLines: read.invalidLines }, 'skipped invalid lines in the updater events');
  if (read.events.length === 0) return 0;

  const rows = db
    .prepare(`SELECT json_extract(details, '$.eventId') AS eventId FROM audit_log WHERE actor_type = 'system' AND actor_id = ?`)
    .all(UPDATER_ACTOR_ID) as { eventId: string | null }[];
  const imported = new Set(rows.map((row) => row.eventId));
  let added = 0;
  for (const event of read.events) {
    if (imported.has(event.id)) continue;
    writeAuditEntry(db, {
      atMs: event.at,
      actorType: 'system',
      actorId: UPDATER_ACTOR_ID,
      action: event.action,
      targetType: 'release',
      targetId: event.version,
      details: { ...event.details, eventId: event.id },
    });
    added++;
  }
  if (added > 0) logger.info({ stateDir, added }, `imported ${added} updater events into the audit log`);
  return added;
}
