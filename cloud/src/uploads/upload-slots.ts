import { MAX_UPLOADS_IN_FLIGHT } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';

/** Seconds an edge waits, sent as Retry-After, when this instance pushes a batch back. */
export const UPLOAD_RETRY_AFTER_S = 1;

/**
 * The uploads running on one instance: at most `maxUploads` at once, and `MAX_UPLOADS_IN_FLIGHT` per
 * edge, because an edge keeps that many batches in flight and one more at the same time means a retry
 * overtook an earlier one. `reserve` is synchronous, so batches that arrive together are counted one
 * after the other.
 */
export class UploadSlots {
  private readonly uploadsOfEdge = new Map<string, number>();
  private running = 0;

  constructor(private readonly maxUploads: number) {}

  /**
   * Reserves a slot for the edge, or raises 429 `upload_in_progress` when that edge already has its
   * share and 503 `hub_busy` when all are taken. Returns the function that frees the slot, safe to call twice.
   */
  reserve(edgeNodeId: string): () => void {
    const headers = { 'Retry-After': String(UPLOAD_RETRY_AFTER_S) };
    const ofEdge = this.uploadsOfEdge.get(edgeNodeId) ?? 0;
    if (ofEdge >= MAX_UPLOADS_IN_FLIGHT) {
      throw new HttpError(
        429,
        'upload_in_progress',
        `edge node ${edgeNodeId} already has ${ofEdge} uploads running on this hub, the most it may have; send the next batch after an answer, in ${UPLOAD_RETRY_AFTER_S} s`,
        { headers },
      );
    }
    if (this.running >= this.maxUploads) {
      throw new HttpError(503, 'hub_busy', `this hub already runs ${this.maxUploads} uploads; retry in ${UPLOAD_RETRY_AFTER_S} s`, { headers });
    }
    this.uploadsOfEdge.set(edgeNodeId, ofEdge + 1);
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = (this.uploadsOfEdge.get(edgeNodeId) ?? 1) - 1;
      if (left === 0) this.uploadsOfEdge.delete(edgeNodeId);
      else this.uploadsOfEdge.set(edgeNodeId, left);
    };
  }
}
