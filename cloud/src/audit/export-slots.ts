import { HttpError } from '../api/http-error';

/** Seconds a rejected client should wait, sent as Retry-After, before it requests another export. */
export const EXPORT_RETRY_AFTER_S = 10;

/**
 * The audit exports running on one instance: at most `maxExports` at once, and at most one per user,
 * so one user cannot take every slot. `reserve` is synchronous, so requests that arrive together are
 * counted one after the other and cannot all pass the check before any of them is counted.
 */
export class ExportSlots {
  private readonly users = new Set<string>();

  constructor(private readonly maxExports: number) {}

  /**
   * Reserves a slot for `userId`, or raises 429 when that user already has one or all are taken.
   * Returns the function that frees the slot, which is safe to call more than once.
   */
  reserve(userId: string): () => void {
    const headers = { 'Retry-After': String(EXPORT_RETRY_AFTER_S) };
    if (this.users.has(userId)) {
      throw new HttpError(
        429,
        'export_already_running',
        `you already have an audit export running; let it finish or cancel its download, then try again in ${EXPORT_RETRY_AFTER_S} s`,
        { headers },
      );
    }
    if (this.users.size >= this.maxExports) {
      throw new HttpError(429, 'exports_busy', `${this.maxExports} audit exports are already running; try again in ${EXPORT_RETRY_AFTER_S} s`, { headers });
    }
    this.users.add(userId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users.delete(userId);
    };
  }
}
