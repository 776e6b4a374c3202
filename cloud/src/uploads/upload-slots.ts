import { HttpError } from '../api/http-error';

/** Seconds an edge waits, sent as Retry-After, when this instance pushes a batch back. */
export const UPLOAD_RETRY_AFTER_S = 1;

/**
 * The uploads running on one instance: at most `maxUploads` at once, and one per edge, because an edge
 * sends its batches in order and a second one at the same time means a retry overtook the first.
 * `reserve` is synchronous, so batches that arrive together are counted one after the other.
 */
export class UploadSlots {
  private readonly edges = new Set<string>();

  constructor(private readonly maxUploads: number) {}

  /**
   * Reserves a slot for the edge, or raises 429 `upload_in_progress` when that edge already has one and
   * 503 `hub_busy` when all are taken. Returns the function that frees the slot, safe to call twice.
   */
  reserve(edgeNodeId: string): () => void {
    const headers = { 'Retry-After': String(UPLOAD_RETRY_AFTER_S) };
    if (this.edges.has(edgeNodeId)) {
      throw new HttpError(
        429,
        'upload_in_progress',
        `edge node ${edgeNodeId} already has an upload running on this hub; send the next batch after its answer, in ${UPLOAD_RETRY_AFTER_S} s`,
        { headers },
      );
    }
    if (this.edges.size >= this.maxUploads) {
      throw new HttpError(503, 'hub_busy', `this hub already runs ${this.maxUploads} uploads; retry in ${UPLOAD_RETRY_AFTER_S} s`, { headers });
    }
    this.edges.add(edgeNodeId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.edges.delete(edgeNodeId);
    };
  }
}
