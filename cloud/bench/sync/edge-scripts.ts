import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EDGE_NODE_DIR } from '../../test/sync-faults/edge-process';

const run = promisify(execFile);

/**
 * Runs a benchmark script of edge-node/bench in a child `node` with tsx, because the cloud package
 * cannot load better-sqlite3, and returns the JSON line it prints last.
 */
export async function runEdgeBenchScript<T>(script: string, args: readonly string[], timeoutMs: number): Promise<T> {
  const path = join(EDGE_NODE_DIR, 'bench', script);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path, ...args], { cwd: EDGE_NODE_DIR, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(lastLine) as T;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`edge-node/bench/${script} failed: ${stderr.slice(-2000)}`, { cause: error });
  }
}
