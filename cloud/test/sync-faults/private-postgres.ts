import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * A private Postgres 15 instance for a test that restarts its database server, so the shared instance
 * on 5432 is never touched. Importing this module picks the port and points TEST_POSTGRES_ADMIN_URL at
 * it, so it must be imported before any module that reads that variable (test-database.ts).
 */

const run = promisify(execFile);
const BIN_DIR = process.env.TEST_POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
/** initdb and postgres reject running as root, so as root they run as this system user. */
const SERVER_USER = 'postgres';

/** Finds a free port synchronously, because the admin URL must be set before other modules load. */
function sparePortSync(): number {
  const script = `const server = require('node:net').createServer();
    server.listen(0, '127.0.0.1', () => { process.stdout.write(String(server.address().port)); server.close(); });`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

export const PRIVATE_POSTGRES_PORT = sparePortSync();
process.env.TEST_POSTGRES_ADMIN_URL = `postgres://postgres@127.0.0.1:${PRIVATE_POSTGRES_PORT}/postgres`;

const rootDir = mkdtempSync(join(tmpdir(), 'sync-faults-pg-'));
const dataDir = join(rootDir, 'data');
const socketDir = join(rootDir, 'socket');

/** Runs a Postgres binary, as the postgres user when this process is root. */
async function runServerTool(tool: string, args: string[]): Promise<void> {
  const binary = join(BIN_DIR, tool);
  const [file, argv] = userInfo().uid === 0 ? ['runuser', ['-u', SERVER_USER, '--', binary, ...args]] : [binary, args];
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${output.stderr ?? ''}${output.stdout ?? ''}`, { cause: error });
  }
}

/** Creates the cluster with trust authentication and starts it on PRIVATE_POSTGRES_PORT. */
export async function startPrivatePostgres(): Promise<void> {
  mkdirSync(socketDir);
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }));
    chownSync(rootDir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  await runServerTool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  await runServerTool('pg_ctl', ['-D', dataDir, '-l', join(rootDir, 'server.log'), '-w', '-o', serverOptions(), 'start']);
}

function serverOptions(): string {
  return `-p ${PRIVATE_POSTGRES_PORT} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off`;
}

/** Restarts the server with a fast shutdown, which ends every connection, and waits until it accepts again. */
export async function restartPrivatePostgres(): Promise<void> {
  await runServerTool('pg_ctl', ['-D', dataDir, '-l', join(rootDir, 'server.log'), '-w', '-m', 'fast', '-o', serverOptions(), 'restart']);
}

/** Stops the server with a fast shutdown, which ends every connection and rolls back open transactions, and keeps its files. */
export async function stopPrivatePostgres(): Promise<void> {
  await runServerTool('pg_ctl', ['-D', dataDir, '-w', '-m', 'fast', 'stop']);
}

/** Starts the server stopped by `stopPrivatePostgres` again and waits until it accepts connections. */
export async function startStoppedPrivatePostgres(): Promise<void> {
  await runServerTool('pg_ctl', ['-D', dataDir, '-l', join(rootDir, 'server.log'), '-w', '-o', serverOptions(), 'start']);
}

/** Stops the server and removes its files. */
export async function removePrivatePostgres(): Promise<void> {
  try {
    await runServerTool('pg_ctl', ['-D', dataDir, '-w', '-m', 'immediate', 'stop']);
  } finally {
    rmSync(rootDir, { recursive: true, force: true });
  }
}
