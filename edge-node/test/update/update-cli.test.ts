import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const EDGE_NODE_DIR = resolve(import.meta.dirname, '../..');

/** Runs `edge-node ARGS` and returns its exit code and output. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['bin/edge-node.mjs', ...args], { cwd: EDGE_NODE_DIR, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.concurrent('edge-node update command line', { timeout: 60_000 }, () => {
  it('is listed in the usage', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}update {5}check for or install/m);
  });

  it('prints its help with defaults', async () => {
    const { code, stdout } = await runCli(['update', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: edge-node update check|apply|recover [options]');
    expect(stdout).toContain('(default: /opt/simtestlab-edge)');
    expect(stdout).toContain('(default: systemctl restart simtestlab-edge.service)');
  });

  it('requires a subcommand', async () => {
    const { code, stderr } = await runCli(['update']);
    expect(code).toBe(1);
    expect(stderr).toContain('a subcommand is required: use check, apply or recover');
  });

  it('rejects an invalid health timeout', async () => {
    const { code, stderr } = await runCli(['update', 'apply', '--health-timeout', '0', '--data', '/nonexistent']);
    expect(code).toBe(1);
    expect(stderr).toContain('--health-timeout: invalid value "0", expected whole seconds from 1 to 3600');
  });

  it('requires a paired data folder', async () => {
    const { code, stderr } = await runCli(['update', 'check', '--data', '/nonexistent']);
    expect(code).toBe(1);
    expect(stderr).toContain('no cloud credential at /nonexistent/cloud-credential.json');
  });

  it('rejects an unknown channel option', async () => {
    const { code, stderr } = await runCli(['update', 'check', '--channel', 'nightly']);
    expect(code).toBe(1);
    expect(stderr).toContain('--channel: "nightly" is not a release channel; use stable or beta');
  });
});
