import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerReachable } from '../../src/simulate/embedded-broker';
import { closeModbusClient, connectModbusClient } from './modbus-test-client';

const bin = fileURLToPath(new URL('../../bin/edge-node.mjs', import.meta.url));

/** The stdio array a parent passes to give `edge-node simulate` an IPC channel, as the demo does. */
const IPC_STDIO: StdioOptions = ['ignore', 'pipe', 'pipe', 'ipc'];

/** Runs `edge-node simulate ...` and resolves with the child and the first stdout line. */
async function startCli(args: string[], stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): Promise<{ child: ChildProcess; firstLine: string; stderr: string[] }> {
  const child = spawn(process.execPath, [bin, 'simulate', ...args], { stdio });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line within 20 s; stderr: ${stderr.join('')}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulate exited with code ${code}; stderr: ${stderr.join('')}`));
    });
  });
  return { child, firstLine, stderr };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Resolves with the exit code, or rejects when the child is still running after `timeoutMs`. */
async function exitWithin(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const [code] = (await Promise.race([once(child, 'exit'), timeout])) as [number | null];
    return code;
  } finally {
    clearTimeout(timer);
  }
}

/** Returns whether a process is running. A zombie (exited but not yet reaped) counts as not running. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A parent that spawns `edge-node simulate` with an IPC channel and prints the child's pid and start line. */
const parentScript = `
const { spawn } = require('node:child_process');
const [bin, ...args] = process.argv.slice(1);
const child = spawn(process.execPath, [bin, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
child.stdout.once('data', (chunk) => process.stdout.write(JSON.stringify({ pid: child.pid, started: chunk.toString() }) + '\\n'));
`;

async function listenOnFreePort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('edge-node simulate', () => {
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    }
  });

  it('prints the endpoint and stops on SIGTERM', async () => {
    const { child, firstLine } = await startCli(['sdm630', '--port', '0', '--speed', '60', '--unit-id', '3']);
    children.push(child);
    const started = JSON.parse(firstLine);
    expect(started).toMatchObject({ simulator: 'sdm630', unitIds: [3], speed: 60 });
    expect(started.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);

    const client = await connectModbusClient(Number(started.endpoint.split(':')[1]), 3, 1000);
    expect((await client.readInputRegisters(0, 2)).data).toHaveLength(2);
    await closeModbusClient(client);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  }, 30_000);

  it('starts an embedded broker when asked', async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const { child, firstLine } = await startCli(['mqtt-weather', '--broker', url, '--start-broker', '--site', 'cli-test']);
    children.push(child);
    expect(JSON.parse(firstLine)).toMatchObject({
      simulator: 'mqtt-weather',
      endpoint: url,
      embeddedBroker: url,
      topics: ['simtestlab/cli-test/weather', 'simtestlab/cli-test/pv'],
    });
    expect(await isBrokerReachable(url, 1000)).toBe(true);

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(0);
    expect(await isBrokerReachable(url, 500)).toBe(false);
  }, 30_000);

  it('stops when the IPC channel closes', async () => {
    const { child, firstLine, stderr } = await startCli(['sdm630', '--port', '0'], IPC_STDIO);
    children.push(child);
    expect(JSON.parse(firstLine)).toMatchObject({ simulator: 'sdm630' });

    child.disconnect();
    expect(await exitWithin(child, 5000)).toBe(0);
    expect(stderr.join('')).toContain('"reason":"disconnect"');
  }, 30_000);

  it('stops on SIGTERM with an IPC channel', async () => {
    const { child } = await startCli(['sdm630', '--port', '0'], IPC_STDIO);
    children.push(child);
    child.kill('SIGTERM');
    expect(await exitWithin(child, 5000)).toBe(0);
  }, 30_000);

  it('stops when its parent is killed', async () => {
    const parent = spawn(process.execPath, ['-e', parentScript, bin, 'sdm630', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(parent);
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the parent printed no line within 20 s')), 20_000);
      createInterface({ input: parent.stdout! }).once('line', (text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    const { pid, started } = JSON.parse(line) as { pid: number; started: string };
    expect(JSON.parse(started)).toMatchObject({ simulator: 'sdm630' });

    try {
      parent.kill('SIGKILL');
      await exitWithin(parent, 5000);
      const deadline = Date.now() + 5000;
      while (isRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(isRunning(pid)).toBe(false);
    } finally {
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 30_000);

  it('reports a port in use', async () => {
    const holder = await listenOnFreePort();
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const child = spawn(process.execPath, [bin, 'simulate', 'sdm630', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      expect(await exitWithin(child, 20_000)).toBe(1);
      expect(stderr).toContain(
        `cannot listen for Modbus TCP on 127.0.0.1:${port}: EADDRINUSE (another process holds the port; stop it or pass another --port, 0 for any free port)`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('prints help', async () => {
    const child = spawn(process.execPath, [bin, 'simulate', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: edge-node simulate <kind> [options]');
    expect(stdout).toContain('--speed X');
  }, 30_000);

  it('rejects an invalid option value', async () => {
    const child = spawn(process.execPath, [bin, 'simulate', 'sunspec-meter', '--speed', 'fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('--speed: invalid value "fast", expected a positive number');
  }, 30_000);
});
