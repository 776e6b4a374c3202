import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { REDIS_URL, type CloudFixture } from '../support/cloud-fixture';
import { spawnCli } from './run-cli';

/** A JSON log line of the hub. */
export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

/** Collects the log lines of a running hub and lets a test wait for one of them. */
export function watchLog(child: ChildProcess) {
  const lines: LogLine[] = [];
  /** Lines on standard output that are not JSON, such as a library's console output. */
  const otherLines: string[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      otherLines.push(text);
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.msg === line.msg)) waiter.resolve(line);
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    lines,
    otherLines,
    stderr: () => stderr,
    waitFor: (msg: string) =>
      new Promise<LogLine>((resolve, reject) => {
        const found = lines.find((line) => line.msg === msg);
        if (found) return resolve(found);
        waiters.push({ msg, resolve });
        child.once('exit', (code) => reject(new Error(`cloud start exited with ${code} before logging "${msg}": ${stderr}`)));
      }),
  };
}

/** Starts `cloud start` on a free port against the fixture's database and Redis prefix; `env` overrides. */
export function spawnHub(fixture: CloudFixture, keysDir: string, env: Record<string, string> = {}): ChildProcess {
  return spawnCli(['start'], {
    DATABASE_URL: fixture.db.runtimeUrl,
    REDIS_URL,
    REDIS_PREFIX: fixture.redisPrefix,
    JWT_KEYS_DIR: keysDir,
    PUBLIC_URL: 'https://ems.test',
    COOKIE_SECURE: 'false',
    PORT: '0',
    ...env,
  });
}

/** Resolves with the exit code and signal of a child process and the milliseconds it took from now. */
export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }> {
  const startedAt = performance.now();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode, elapsedMs: 0 });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, elapsedMs: performance.now() - startedAt }));
  });
}
