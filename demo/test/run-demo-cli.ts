import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const DEMO_BIN = fileURLToPath(new URL('../bin/demo.mjs', import.meta.url));

/**
 * Starts the real `pnpm demo` CLI with `args` and only PATH, HOME and `env` in its environment. With
 * `ownProcessGroup`, the demo leads a process group of its own, so a test can send a signal to the
 * whole group as Ctrl+C in a terminal does.
 */
export function spawnDemo(args: string[], env: Record<string, string>, ownProcessGroup = false): ChildProcess {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (process.env.HOME !== undefined) base.HOME = process.env.HOME;
  return spawn(process.execPath, [DEMO_BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
}

/** Runs the demo CLI to its end and returns its exit code and output. */
export function runDemoCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnDemo(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago (and so is closed now). */
export function spareTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
