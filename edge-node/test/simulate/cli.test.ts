import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerReachable } from '../../src/simulate/embedded-broker';
import { closeModbusClient, connectModbusClient } from './modbus-test-client';

const bin = fileURLToPath(new URL('../../bin/edge-node.mjs', import.meta.url));

/** Runs `edge-node simulate ...` and resolves with the child and the first stdout line. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; firstLine: string; stderr: string[] }> {
  const child = spawn(process.execPath, [bin, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
