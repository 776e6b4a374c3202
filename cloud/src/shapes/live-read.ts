import type { Sql } from '../db/connect';
import type { ChangeNotifier } from './change-notifier';
import { notificationKey } from './change-notifier';
import { logSiteId, readChanges, type ShapePage, type ShapeStream, type StaleHandle } from './shape-log';

/** First interval of the rechecks while committed changes wait behind an older transaction. */
const RECHECK_FIRST_MS = 50;

/** Maximum interval between those rechecks. */
const RECHECK_MAX_MS = 2_000;

/**
 * Reads the changes after an offset, holding the request until there is one or `holdMs` passes. A
 * notification wakes the read. A change committed while an older transaction still runs stays
 * unreadable until that one ends, and an older transaction that changed no shape sends no
 * notification. So while changes are pending, the read is repeated at growing intervals.
 */
export async function readChangesLive(
  sql: Sql,
  notifier: ChangeNotifier,
  stream: ShapeStream,
  after: { xid: bigint; id: bigint; handle: string },
  options: { pageSize: number; holdMs: number; signal?: AbortSignal },
): Promise<ShapePage | StaleHandle> {
  await notifier.start();
  const subscription = notifier.subscribe(notificationKey(logSiteId(stream)));
  try {
    const deadline = Date.now() + options.holdMs;
    let recheckMs = RECHECK_FIRST_MS;
    for (;;) {
      const result = await readChanges(sql, stream, after, options.pageSize);
      if (result.kind === 'stale' || result.changes.length > 0) return result;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0 || options.signal?.aborted) return result;

      if (result.pending) {
        await subscription.next(Math.min(recheckMs, remainingMs), options.signal);
        recheckMs = Math.min(recheckMs * 2, RECHECK_MAX_MS);
      } else {
        await subscription.next(remainingMs, options.signal);
        recheckMs = RECHECK_FIRST_MS;
      }
    }
  } finally {
    subscription.close();
  }
}
