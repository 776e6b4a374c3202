import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, loginOverHttp } from '../auth/auth-support';

const edgeNodeDir = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(edgeNodeDir, 'bin', 'edge-node.mjs');
const dir = mkdtempSync(join(tmpdir(), 'edge-cli-'));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `edge-node ...args` to its end with `input` on standard input, with a 30 s limit. */
function runCli(args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd: edgeNodeDir, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ code: 0, stdout, stderr });
        return;
      }
      // A process killed by the time limit has a signal and no exit code.
      resolve({ code: typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const goodSite = ['site: { id: cli-test, name: CLI test site, timeZone: UTC }', 'storage: { commitIntervalMs: 200 }', 'devices: []', ''].join('\n');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('edge-node CLI', { timeout: 40_000 }, () => {
  it('prints start help', async () => {
    const result = await runCli(['start', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: edge-node start --config FILE');
    expect(result.stdout).toContain('--port N');
    expect(result.stdout).toContain('--allow-remote');
    expect(result.stderr).toBe('');
  });

  it('prints the command list', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    for (const command of ['start', 'simulate', 'demo']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('rejects an unknown command', async () => {
    const result = await runCli(['frobnicate']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('requires --config', async () => {
    const result = await runCli(['start']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--config is required');
  });

  it('rejects an unknown option', async () => {
    const result = await runCli(['start', '--config', writeFile('unused.yaml', goodSite), '--bogus']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--bogus');
  });

  it('names the bad field of a site file', async () => {
    const path = writeFile(
      'bad.yaml',
      [
        'site: { id: cli-test, name: CLI test site, timeZone: UTC }',
        'devices:',
        '  - key: meter',
        '    driver: modbus-tcp',
        '    connection: { host: 127.0.0.1, port: 15041 }',
        '    points:',
        '      - { key: powerW, address: 0, wordOrder: ACBD }',
        '',
      ].join('\n'),
    );

    const result = await runCli(['start', '--config', path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`invalid site configuration in ${path}`);
    expect(result.stderr).toContain('devices[0].points[0].wordOrder: expected "ABCD" | "CDAB" | "BADC" | "DCBA"');
    expect(result.stdout).toBe('');
  });

  // A missing site file starts setup mode instead; test/setup covers that.
  it('names an unreadable site file', async () => {
    const path = join(dir, 'unreadable.yaml');
    mkdirSync(path);

    const result = await runCli(['start', '--config', path]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toContain('cannot read the file');
  });

  it('rejects an invalid port', async () => {
    const result = await runCli(['start', '--config', writeFile('port.yaml', goodSite), '--port', 'http']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port: invalid port "http", expected 0-65535');
  });

  it('prints create-local-admin help', async () => {
    const result = await runCli(['create-local-admin', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: edge-node create-local-admin --username NAME');
    expect(result.stdout).toContain('site_manager role');
  });

  it('rejects a short local admin password', async () => {
    const result = await runCli(['create-local-admin', '--data', join(dir, 'short'), '--username', 'installer'], 'too-short\n');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at least 12 characters');
  });

  it('rejects a second local admin of one name', async () => {
    const data = join(dir, 'twice');
    const first = await runCli(['create-local-admin', '--data', data, '--username', 'installer'], 'first password 123\n');
    const second = await runCli(['create-local-admin', '--data', data, '--username', 'Installer'], 'second password 123\n');
    const replaced = await runCli(['create-local-admin', '--data', data, '--username', 'installer', '--replace'], 'third password 123\n');

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created local account "installer" (site_manager)');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('pass --replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('set a new password for local account "installer"');
  });

  it('serves until SIGTERM', async () => {
    const config = writeFile('good.yaml', goodSite);
    const created = await runCli(['create-local-admin', '--data', join(dir, 'data'), '--username', 'installer'], 'correct horse battery staple\n');
    expect(created.code).toBe(0);
    const child = spawn(process.execPath, [bin, 'start', '--config', config, '--port', '0', '--data', join(dir, 'data')], {
      cwd: edgeNodeDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s; stderr: ${stderr}`)), 20_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /listening on (http:\/\/\S+)$/.exec(line);
          if (!match) return;
          clearTimeout(timer);
          resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`edge-node exited with ${code} before listening; stderr: ${stderr}`)));
      });
      const health = await fetch(`${url}/api/health`);
      const anonymous = await fetch(`${url}/api/site`);
      const token = await loginOverHttp(url, 'installer', 'correct horse battery staple');
      const site = (await (await fetch(`${url}/api/site`, bearer(token))).json()) as { id: string };

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];

      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(health.status).toBe(200);
      expect(anonymous.status).toBe(401);
      expect(site.id).toBe('cli-test');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
