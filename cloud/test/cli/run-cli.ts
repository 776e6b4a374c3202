import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/cloud.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI with only PATH, TMPDIR and `env` in its environment, so no variable leaks in from the test runner. */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (process.env.TMPDIR !== undefined) base.TMPDIR = process.env.TMPDIR;
  return spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs the CLI to completion, feeding `stdin` (or nothing) to it, and returns its exit code and output. */
export function runCli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, options.env);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
