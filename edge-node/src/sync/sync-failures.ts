import { FetchError } from '@electric-sql/client';
import { z } from 'zod';
import type { Logger } from '../logger';

/** Consecutive failures after which a still failing shape logs at error level instead of warn. */
const ERROR_LEVEL_AFTER_FAILURES = 10;

/** Error body the hub sends with 401 when it has revoked the edge's credential. */
const edgeRevokedBodySchema = z.object({ error: z.object({ code: z.literal('edge_revoked') }) });

/** Checks whether the hub rejected the request because it revoked this edge (401 with code `edge_revoked`). */
export function isEdgeRevoked(error: unknown): error is FetchError {
  return error instanceof FetchError && error.status === 401 && edgeRevokedBodySchema.safeParse(error.json).success;
}

export interface SyncFailureLogOptions {
  /** Minimum time between two log lines about the same run of failures, in ms. */
  logIntervalMs: number;
  /** Clock, epoch ms. */
  now?: () => number;
}

/**
 * Counts consecutive request failures of one shape and logs them rate-limited: the first failure at
 * once, then at most one line per `logIntervalMs` with the count since the previous line. The level
 * rises from warn to error once the failures persist, and a success after failures logs the recovery.
 */
export class SyncFailureLog {
  private failures = 0;
  private failuresSinceLog = 0;
  private lastLogAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly logger: Logger,
    private readonly options: SyncFailureLogOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Consecutive failures since the last success. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  record(error: unknown, message: string): void {
    this.failures++;
    this.failuresSinceLog++;
    const now = this.now();
    if (this.failures > 1 && now - this.lastLogAt < this.options.logIntervalMs) return;

    const fields = { err: error, consecutiveFailures: this.failures, failuresSinceLastLog: this.failuresSinceLog };
    const line = `${message}; retrying with backoff (${this.failures} consecutive failures)`;
    if (this.failures >= ERROR_LEVEL_AFTER_FAILURES) this.logger.error(fields, line);
    else this.logger.warn(fields, line);
    this.lastLogAt = now;
    this.failuresSinceLog = 0;
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.logger.info({ consecutiveFailures: this.failures }, `shape sync recovered after ${this.failures} failed requests`);
    this.failures = 0;
    this.failuresSinceLog = 0;
  }
}
