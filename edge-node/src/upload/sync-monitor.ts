import type { SyncStatus } from '@simtestlab/sync';
import type { MetricSource } from '../api/metrics';
import type { LinkStatus } from '../cloud/link-status';
import type { DiskBudget } from '../store/disk-budget';
import type { Outbox } from './outbox';
import { uploadResults, type UploadStats } from './upload-stats';

/** Clock skew above which the status flags it, in ms either way. */
export const CLOCK_SKEW_FLAG_MS = 30_000;

export interface SyncMonitorOptions {
  outbox: Outbox;
  link: LinkStatus;
  stats: UploadStats;
  diskBudget: DiskBudget;
  now?: () => number;
}

/**
 * Sync status of this edge, read from the outbox, the link status and the upload counters, for
 * `GET /api/sync/status`, the health endpoint and the metrics.
 */
export class SyncMonitor {
  readonly diskBudget: DiskBudget;
  private readonly now: () => number;

  constructor(private readonly options: SyncMonitorOptions) {
    this.diskBudget = options.diskBudget;
    this.now = options.now ?? Date.now;
  }

  /** Whether uploads stopped for good because the hub revoked this edge. */
  get uploadsRevoked(): boolean {
    return this.options.stats.revoked;
  }

  status(): SyncStatus {
    const { outbox, link } = this.options;
    const now = this.now();
    const backlog = outbox.backlog(now);
    return {
      siteId: link.siteId,
      lastContactAt: link.lastContactAt,
      lastAckAt: link.lastAckAt,
      backlog: { rollups: backlog.rollups, events: backlog.events },
      oldestUnsentAt: backlog.oldestUnsentAt,
      // NOTE: a 1 d row counts from its bucket start, so the lag reads about a day for the seconds
      // between a day's close and its upload. Alert on a lag that lasts, not on one reading.
      lagMs: backlog.oldestUnsentAt === null ? 0 : Math.max(0, now - backlog.oldestUnsentAt),
      clockSkewMs: link.clockSkewMs,
      clockSkewFlagged: link.clockSkewMs !== null && Math.abs(link.clockSkewMs) > CLOCK_SKEW_FLAG_MS,
      liveConnected: link.liveConnected,
      ...(link.protocolError === null ? {} : { protocolError: link.protocolError }),
    };
  }

  /** Metric families of the upload and the disk budget, in the shape `renderMetrics` takes. */
  readonly metrics: MetricSource = () => {
    const status = this.status();
    const disk = this.diskBudget.usage();
    const { stats } = this.options;
    const gauge = (name: string, help: string, value: number) => ({ name, help, type: 'gauge' as const, values: [{ labels: {}, value }] });
    const counter = (name: string, help: string, value: number) => ({ name, help, type: 'counter' as const, values: [{ labels: {}, value }] });
    return [
      gauge('edge_upload_backlog_rollups', 'Rollup rows waiting for upload to the hub.', status.backlog.rollups),
      gauge('edge_upload_backlog_events', 'Events waiting for upload to the hub.', status.backlog.events),
      gauge('edge_upload_oldest_unsent_seconds', 'Age of the oldest item waiting for upload, 0 when none waits.', status.lagMs / 1000),
      {
        name: 'edge_upload_batches_total',
        help: 'Upload batches by result: acked, too_large (413), throttled (429/503), rejected (400), failed, revoked.',
        type: 'counter',
        values: uploadResults.map((result) => ({ labels: { result }, value: stats.batches[result] })),
      },
      counter('edge_upload_events_acked_total', 'Events the hub acknowledged.', stats.eventsAcked),
      counter('edge_upload_rollup_rows_acked_total', 'Rollup rows the hub acknowledged.', stats.rollupRowsAcked),
      counter('edge_upload_unsendable_total', 'Queued items left out of the upload because the hub would reject them.', stats.unsendable),
      gauge('edge_upload_revoked', '1 when uploads stopped because the hub revoked this edge.', stats.revoked ? 1 : 0),
      {
        name: 'edge_upload_clock_skew_seconds',
        help: 'Clock skew the hub measured on the last acknowledged batch (hub minus edge).',
        type: 'gauge',
        values: status.clockSkewMs === null ? [] : [{ labels: {}, value: status.clockSkewMs / 1000 }],
      },
      gauge('edge_database_bytes', 'Size of the database file and its WAL.', disk.databaseBytes),
      gauge('edge_disk_budget_bytes', 'The configured storage.diskBudgetMb in bytes.', disk.budgetBytes),
      gauge('edge_disk_budget_exceeded', '1 when the database is larger than storage.diskBudgetMb.', disk.exceeded ? 1 : 0),
    ];
  };
}
