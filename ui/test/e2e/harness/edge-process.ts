import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SiteFile } from './edge-site';
import { ManagedProcess, runToEnd } from './managed-process';
import { EDGE_NODE_BIN, EDGE_NODE_DIR } from './paths';
import { spareTcpPort } from './ports';
import { fetchJson, waitUntil } from './wait';

/*
 * The edge node as a real `edge-node start` process on 127.0.0.1. It keeps its port across `stop`
 * and `start`, so a browser page can reload the same URL after a restart.
 */

const run = promisify(execFile);

/** Time the edge gets to return 200 from /api/health after its start. */
const EDGE_READY_TIMEOUT_MS = 90_000;

/** Time `edge-node pair` and `edge-node create-local-admin` may take each. */
const CLI_TIMEOUT_MS = 60_000;

/** An edge node whose process can be stopped and started again on the same port and data folder. */
export interface EdgeProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  dataDir: string;
  /** The site file the edge runs. */
  siteFile: SiteFile;
  /** Where it is written: `<dataDir>/site.json`. */
  siteFilePath: string;
  /** The running process, or undefined while stopped. */
  process: ManagedProcess | undefined;
  /** Starts the edge again and waits until /api/health returns 200; a no-op while it runs. */
  start(): Promise<void>;
  /** Stops the edge with SIGTERM (SIGKILL when `kill` is true). */
  stop(options?: { kill?: boolean }): Promise<void>;
}

/** Pairs the data folder with the hub at `hubUrl` through `edge-node pair`. */
export async function pairEdge(dataDir: string, hubUrl: string, pairingCode: string): Promise<void> {
  await runToEnd(
    { name: 'edge-node pair', command: process.execPath, args: [EDGE_NODE_BIN, 'pair', '--cloud', hubUrl, '--code', pairingCode, '--data', dataDir], cwd: EDGE_NODE_DIR },
    CLI_TIMEOUT_MS,
  );
}

/** Creates the local installer account of the edge through `edge-node create-local-admin`. */
export async function createLocalAdmin(dataDir: string, username: string, password: string): Promise<void> {
  await runToEnd(
    {
      name: 'edge-node create-local-admin',
      command: process.execPath,
      args: [EDGE_NODE_BIN, 'create-local-admin', '--data', dataDir, '--username', username],
      cwd: EDGE_NODE_DIR,
      input: `${password}\n`,
    },
    CLI_TIMEOUT_MS,
  );
}

/** Writes the site file and returns an edge process handle, not yet started. */
export async function prepareEdge(dataDir: string, siteFile: SiteFile, env: Record<string, string> = {}): Promise<EdgeProcess> {
  const siteFilePath = join(dataDir, 'site.json');
  writeFileSync(siteFilePath, `${JSON.stringify(siteFile, null, 2)}\n`);
  const port = await spareTcpPort();
  const url = `http://127.0.0.1:${port}`;
  const edge: EdgeProcess = {
    url,
    port,
    dataDir,
    siteFile,
    siteFilePath,
    process: undefined,
    start: async () => {
      if (edge.process !== undefined && !edge.process.hasExited) return;
      const started = ManagedProcess.start({
        name: `edge node on port ${port}`,
        command: process.execPath,
        args: [EDGE_NODE_BIN, 'start', '--config', siteFilePath, '--data', dataDir, '--port', String(port)],
        cwd: EDGE_NODE_DIR,
        env: { ...process.env, ...env },
      });
      edge.process = started;
      await waitUntil(async () => ((await fetchJson(`${url}/api/health`)) as { status?: unknown }).status, {
        description: `the edge's ${url}/api/health to return 200`,
        timeoutMs: EDGE_READY_TIMEOUT_MS,
        processes: [started],
      });
    },
    stop: async (options = {}) => {
      const running = edge.process;
      edge.process = undefined;
      if (running === undefined) return;
      if (options.kill) await running.kill();
      else await running.stop();
    },
  };
  return edge;
}

/** A hub user as the edge stores it from the `site_users` shape. */
export interface EdgeSiteUser {
  email: string;
  role: string;
  status: string;
  hasPassword: boolean;
}

/**
 * Reads the hub users the edge has synced, through a child `node` in the edge-node folder, because the
 * UI package does not depend on better-sqlite3. Returns an empty list before the edge created its tables.
 */
export async function readEdgeSiteUsers(dataDir: string): Promise<EdgeSiteUser[]> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT email, role, status, password_hash IS NOT NULL AS has_password FROM cloud_site_users ORDER BY email').all();
    process.stdout.write(JSON.stringify(rows.map((row) => ({ email: row.email, role: row.role, status: row.status, hasPassword: row.has_password === 1 }))));`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, join(dataDir, 'edge.db')], { cwd: EDGE_NODE_DIR, timeout: 30_000 });
    return JSON.parse(stdout) as EdgeSiteUser[];
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    // Before the first start or the first shape sync the file or the table does not exist yet.
    if (/unable to open database|no such table/i.test(stderr)) return [];
    throw new Error(`reading the synced users of the edge in ${dataDir} failed: ${stderr}`, { cause: error });
  }
}
