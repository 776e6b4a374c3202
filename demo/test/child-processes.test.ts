import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

async function failureOf(path: string): Promise<ChildFailedError> {
  const error = await runChild('test command', path, [], process.env, join(dir, 'test.log')).then(
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
    expect(error.message).toBe(`test command failed (SIGINT); see ${join(dir, 'test.log')}`);
  });

  it('reports a non-zero exit code', async () => {
    const error = await failureOf(script('exit3.mjs', 'process.exit(3);\n'));
    expect(error.signal).toBeNull();
    expect(error.message).toContain('failed (exit code 3)');
  });

  it('resolves on exit code 0', async () => {
    await expect(runChild('test command', script('ok.mjs', ''), [], process.env, join(dir, 'test.log'))).resolves.toBeUndefined();
  });
});
