import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildFailedError, runChild } from '../src/child-processes';

/*
 * The demo's run-to-end commands as real node processes. The reported signal decides whether a
 * failed command counts as part of a Ctrl+C stop or as a failed step.
 */

const dir = mkdtempSync(join(tmpdir(), 'demo-child-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** Runs the script at `path` with its own log file `<path>.log` and returns the error it fails with. */
async function failureOf(path: string): Promise<ChildFailedError> {
  const error = await runChild('test command', path, [], process.env, `${path}.log`).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChildFailedError);
  return error as ChildFailedError;
}

describe('runChild', () => {
  it('reports the ending signal', async () => {
    const error = await failureOf(script('sigint.mjs', "process.kill(process.pid, 'SIGINT'); setTimeout(() => {}, 5000);\n"));
    expect(error.signal).toBe('SIGINT');
    expect(error.message).toBe(`test command failed (SIGINT); its log ${join(dir, 'sigint.mjs.log')} is empty`);
  });

  it('names a log with content', async () => {
    const error = await failureOf(script('fail.mjs', "console.log('cannot reach the hub'); process.exit(2);\n"));
    expect(error.message).toBe(`test command failed (exit code 2); see ${join(dir, 'fail.mjs.log')}`);
  });

  it('ends a command on stop', async () => {
    const stop = new AbortController();
    const running = runChild('test command', script('wait.mjs', 'setTimeout(() => {}, 60_000);\n'), [], process.env, join(dir, 'wait.log'), stop.signal);
    setTimeout(() => stop.abort(), 200);
    const error = await running.then(
      () => null,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(ChildFailedError);
    expect((error as ChildFailedError).signal).toBe('SIGTERM');
  });

  it('starts no command after a stop', async () => {
    const stop = new AbortController();
    stop.abort();
    const marker = join(dir, 'started');
    const started = script('marker.mjs', `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, '');\n`);

    await expect(runChild('test command', started, [], process.env, join(dir, 'marker.log'), stop.signal)).rejects.toThrow('test command not started because the demo is stopping');
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a non-zero exit code', async () => {
    const error = await failureOf(script('exit3.mjs', 'process.exit(3);\n'));
    expect(error.signal).toBeNull();
    expect(error.message).toContain('failed (exit code 3)');
  });

  it('resolves on exit code 0', async () => {
    await expect(runChild('test command', script('ok.mjs', ''), [], process.env, join(dir, 'ok.log'))).resolves.toBeUndefined();
  });
});
