import { statSync } from 'node:fs';
import type { Logger } from '../logger';

const MIB = 1024 * 1024;
/** How often an exceeded budget is logged again while it stays exceeded. */
const EXCEEDED_LOG_INTERVAL_MS = 15 * 60_000;

/** Size of the database against its budget, in bytes. */
export interface DiskUsage {
  databaseBytes: number;
  budgetBytes: number;
  exceeded: boolean;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * Compares the size of the database file and its WAL with `storage.diskBudgetMb`. The edge never
 * deletes unsent data to stay under the budget, so an exceeded budget is reported (log, metric,
 * health endpoint) and left to the operator.
 */
export class DiskBudget {
  private lastLogAt = -Infinity;
  private wasExceeded = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly databasePath: string,
    budgetMb: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.budgetBytes = Math.round(budgetMb * MIB);
  }

  readonly budgetBytes: number;

  /** Reads the current size; two `stat` calls, cheap enough for every health request and scrape. */
  usage(): DiskUsage {
    const databaseBytes = fileBytes(this.databasePath) + fileBytes(`${this.databasePath}-wal`);
    return { databaseBytes, budgetBytes: this.budgetBytes, exceeded: databaseBytes > this.budgetBytes };
  }

  /** Reads the size and logs an exceeded budget, at most every 15 minutes, and the return below it. */
  check(): DiskUsage {
    const usage = this.usage();
    const now = this.now();
    if (usage.exceeded && now - this.lastLogAt >= EXCEEDED_LOG_INTERVAL_MS) {
      this.lastLogAt = now;
      this.logger.error(
        { databaseMb: Math.round(usage.databaseBytes / MIB), budgetMb: this.budgetBytes / MIB, database: this.databasePath },
        'the database exceeds storage.diskBudgetMb; no data is deleted to make room. Shorten storage.retention, check that uploads to the hub are acknowledged (unsent rollups are kept), or raise the budget if the disk has room',
      );
    } else if (!usage.exceeded && this.wasExceeded) {
      this.lastLogAt = -Infinity;
      this.logger.info({ databaseMb: Math.round(usage.databaseBytes / MIB), budgetMb: this.budgetBytes / MIB }, 'the database is back under storage.diskBudgetMb');
    }
    this.wasExceeded = usage.exceeded;
    return usage;
  }

  /** Checks every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    this.check();
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
