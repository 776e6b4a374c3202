import type { Worker } from 'node:worker_threads';
import type { StorageConfig } from '../config/schema';
import { startTsWorker } from '../runtime/ts-worker';
import type { CommitBatch } from './commit-batch';
import type { CommitWorkerReply, CommitWorkerRequest } from './commit-worker-thread';

type Pending = { resolve: (reply: CommitWorkerReply & { ok: true }) => void; reject: (error: Error) => void };
type RequestBody = CommitWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A commit, retention run or shutdown that failed in the commit worker. */
export class CommitWorkerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommitWorkerError';
  }
}

/**
 * Writes commit batches in a worker thread with its own SQLite connection, so the fsync and the
 * inserts of a commit never block the event loop that polls devices and serves the live stream.
 * Requests are answered in the order they were sent. WAL mode lets the main thread's connection read
 * while the worker writes.
 */
export class CommitWorker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: CommitWorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.failAll(new CommitWorkerError(`the commit worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.failAll(new CommitWorkerError(`the commit worker exited with code ${code}`)));
  }

  /** Starts the worker on the database file and waits until it has opened it. */
  static async start(databasePath: string): Promise<CommitWorker> {
    const worker = startTsWorker(new URL('./commit-worker-thread.ts', import.meta.url), { databasePath });
    const commitWorker = new CommitWorker(worker);
    await new Promise<void>((resolve, reject) => commitWorker.pending.set(0, { resolve: () => resolve(), reject }));
    return commitWorker;
  }

  /**
   * Applies one batch in one transaction. The batch is copied to the worker, not moved, because a
   * batch that fails stays queued for a retry.
   */
  async commit(batch: CommitBatch): Promise<void> {
    await this.request({ type: 'commit', batch });
  }

  async retention(retention: StorageConfig['retention'], nowTs: number): Promise<number> {
    const reply = await this.request({ type: 'retention', retention, nowTs });
    return reply.deleted ?? 0;
  }

  /** Closes the worker's connection and ends the thread after the requests already sent. */
  async close(): Promise<void> {
    if (this.exitError) return;
    await this.request({ type: 'close' });
    await this.worker.terminate();
  }

  private request(body: RequestBody): Promise<CommitWorkerReply & { ok: true }> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  private settle(reply: CommitWorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply);
    else {
      const error = new CommitWorkerError(reply.message);
      if (reply.stack !== undefined) error.stack = reply.stack;
      waiting.reject(error);
    }
  }

  private failAll(error: Error): void {
    this.exitError ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
