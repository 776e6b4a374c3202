import { parentPort, workerData } from 'node:worker_threads';
import type { StorageConfig } from '../config/schema';
import { CommitStatements, type CommitBatch } from './commit-batch';
import { openDatabase, type SqliteDatabase } from './database';
import { applyRetention } from './retention';

/** Requests the commit worker serves; each gets one reply with the same id. */
export type CommitWorkerRequest =
  | { id: number; type: 'commit'; batch: CommitBatch }
  | { id: number; type: 'retention'; retention: StorageConfig['retention']; nowTs: number }
  | { id: number; type: 'close' };

export type CommitWorkerReply = { id: number; ok: true; deleted?: number } | { id: number; ok: false; message: string; stack?: string };

const { databasePath } = workerData as { databasePath: string };
const port = parentPort!;

function failureReply(id: number, error: unknown): CommitWorkerReply {
  const failure = error instanceof Error ? error : new Error(String(error));
  const reply: CommitWorkerReply = { id, ok: false, message: failure.message };
  if (failure.stack !== undefined) reply.stack = failure.stack;
  return reply;
}

/** Serves requests on the opened database until the `close` request. */
function serve(db: SqliteDatabase, statements: CommitStatements): void {
  port.on('message', (request: CommitWorkerRequest) => {
    try {
      if (request.type === 'commit') {
        statements.apply(request.batch);
        port.postMessage({ id: request.id, ok: true } satisfies CommitWorkerReply);
      } else if (request.type === 'retention') {
        const deleted = applyRetention(db, request.retention, request.nowTs);
        port.postMessage({ id: request.id, ok: true, deleted } satisfies CommitWorkerReply);
      } else {
        db.close();
        port.postMessage({ id: request.id, ok: true } satisfies CommitWorkerReply);
        port.close();
      }
    } catch (error) {
      port.postMessage(failureReply(request.id, error));
    }
  });
  port.postMessage({ id: 0, ok: true } satisfies CommitWorkerReply);
}

// Request 0 is the start-up handshake: its reply resolves or rejects `CommitWorker.start`. On
// failure the port is closed and the thread ends by itself once the reply is delivered.
try {
  const db = openDatabase(databasePath);
  serve(db, new CommitStatements(db));
} catch (error) {
  port.postMessage(failureReply(0, error));
  port.close();
}
