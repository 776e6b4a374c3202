/**
 * Invoke ids for one BACnet client: at most 255 confirmed requests outstanding, every one with an id
 * no other outstanding request has.
 *
 * @bacnet-js/client 3.3 keeps one 8-bit invoke id counter per client and matches a reply by id alone.
 * Past 256 outstanding requests its counter wraps onto a pending id, the new entry replaces the old
 * one, and one of the two promises never settles. The pool hands out ids 1 to 255 (the library takes
 * an `invokeId` option of 0 as "none given") and makes further requests wait in order.
 * Freed ids go to the back of the queue, so an id is reused as late as possible; an id whose request
 * timed out is held back for a while, because the late reply may still arrive.
 */

/** Raised to a request that was waiting for an id when the pool closed or its signal aborted. */
export class InvokeIdPoolClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeIdPoolClosedError';
  }
}

interface Waiter {
  resolve(id: number): void;
  reject(error: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Counters for tests and metrics. */
export interface InvokeIdPoolStats {
  outstanding: number;
  waiting: number;
  /** Highest number of ids handed out at the same time since the pool was made. */
  maxOutstanding: number;
  quarantined: number;
}

export const MAX_OUTSTANDING_REQUESTS = 255;

export class InvokeIdPool {
  private readonly free: number[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly quarantineTimers = new Set<NodeJS.Timeout>();
  private outstanding = 0;
  private maxOutstanding = 0;
  private closed = false;

  constructor(size = MAX_OUTSTANDING_REQUESTS) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_OUTSTANDING_REQUESTS) {
      throw new RangeError(`invoke id pool size must be 1 to ${MAX_OUTSTANDING_REQUESTS}, got ${size}`);
    }
    for (let id = 1; id <= size; id++) this.free.push(id);
  }

  /** Returns a free id at once, or waits in line for one. Rejects when the pool closes or `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<number> {
    if (this.closed) return Promise.reject(new InvokeIdPoolClosedError('the BACnet client is closed'));
    if (signal?.aborted) return Promise.reject(new InvokeIdPoolClosedError('the request was cancelled'));
    const id = this.free.shift();
    if (id !== undefined) return Promise.resolve(this.handOut(id));
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new InvokeIdPoolClosedError('the request was cancelled'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Returns an id to the pool. With `holdBackMs` it stays unused that long first, so that a late reply
   * to a timed-out request cannot be taken for the reply to the id's next request.
   */
  release(id: number, holdBackMs = 0): void {
    this.outstanding--;
    if (this.closed) return;
    if (holdBackMs <= 0) {
      this.makeAvailable(id);
      return;
    }
    const timer = setTimeout(() => {
      this.quarantineTimers.delete(timer);
      if (!this.closed) this.makeAvailable(id);
    }, holdBackMs);
    timer.unref();
    this.quarantineTimers.add(timer);
  }

  stats(): InvokeIdPoolStats {
    return {
      outstanding: this.outstanding,
      waiting: this.waiters.length,
      maxOutstanding: this.maxOutstanding,
      quarantined: this.quarantineTimers.size,
    };
  }

  /** Rejects every waiting request and stops handing out ids. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.quarantineTimers) clearTimeout(timer);
    this.quarantineTimers.clear();
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new InvokeIdPoolClosedError('the BACnet client is closed'));
    }
  }

  private makeAvailable(id: number): void {
    const waiter = this.waiters.shift();
    if (!waiter) {
      this.free.push(id);
      return;
    }
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(this.handOut(id));
  }

  private handOut(id: number): number {
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    return id;
  }
}
