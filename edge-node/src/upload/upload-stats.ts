/** Outcome of an upload attempt. */
export const uploadResults = ['acked', 'too_large', 'throttled', 'rejected', 'failed', 'revoked'] as const;
export type UploadResult = (typeof uploadResults)[number];

/** Counters of the uploader, shared with the metrics endpoint. */
export class UploadStats {
  /** Batches per result: acknowledged, 413, 429 or 503, 400, other failures, revoked. */
  readonly batches: Record<UploadResult, number> = { acked: 0, too_large: 0, throttled: 0, rejected: 0, failed: 0, revoked: 0 };
  eventsAcked = 0;
  rollupRowsAcked = 0;
  /** Queued items the contract rejects, removed from the outbox without being sent. */
  unsendable = 0;
  /** Whether the uploader stopped because the hub revoked this edge. */
  revoked = false;
}
