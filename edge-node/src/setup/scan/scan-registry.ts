import { startLanScan, type LanScanOptions, type ScanJob } from './scan-job';

/** Scans kept for lookup by default: enough for an installer who scans a few networks in a row. */
export const DEFAULT_KEPT_SCANS = 8;

/**
 * The last few scans by id, for the setup routes that start a scan and then poll it. When a new scan
 * would exceed `maxJobs`, the oldest finished scan is dropped. When every kept scan is still running,
 * the oldest is cancelled and dropped, so the number of scans in flight stays bounded too.
 */
export class LanScanRegistry {
  private readonly jobs = new Map<string, ScanJob>();

  constructor(private readonly maxJobs = DEFAULT_KEPT_SCANS) {
    if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new RangeError(`maxJobs must be a whole number of 1 or more, got ${maxJobs}`);
  }

  /** Starts a scan with `startLanScan` and keeps it. Throws what `startLanScan` throws. */
  start(options: LanScanOptions): ScanJob {
    const job = startLanScan(options);
    this.add(job);
    return job;
  }

  /** Keeps a job, dropping the oldest one over the limit. */
  add(job: ScanJob): void {
    this.jobs.set(job.id, job);
    while (this.jobs.size > this.maxJobs) {
      const oldest = [...this.jobs.values()].find((kept) => kept.state !== 'running') ?? this.jobs.values().next().value!;
      oldest.cancel();
      this.jobs.delete(oldest.id);
    }
  }

  /** Returns the job with this id, or undefined when it is unknown or was dropped. */
  get(id: string): ScanJob | undefined {
    return this.jobs.get(id);
  }

  /** Cancels every running scan, for shutdown. */
  cancelAll(): void {
    for (const job of this.jobs.values()) job.cancel();
  }
}
