/**
 * Boots the edge disk image under qemu (UEFI, software emulation unless SIMTESTLAB_QEMU_ACCEL=kvm)
 * and checks that a fresh node comes up in setup mode: health, setup status, the setup page, and
 * the setup code on the serial console. Booting needs the Debian packages qemu-system-x86, qemu-utils
 * and ovmf. Building the image (when it is missing or older than the .deb) needs root and the
 * packages that build-image.sh lists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEdgeImage } from './test-support/edge-image.js';
import { bootVm, type Vm } from './test-support/qemu-vm.js';

const accel = process.env.SIMTESTLAB_QEMU_ACCEL === 'kvm' ? 'kvm' : 'tcg';
// Under TCG on two shared CPUs the firmware, kernel, systemd and Node.js start take minutes.
const HEALTH_TIMEOUT_MS = accel === 'kvm' ? 2 * 60_000 : 6 * 60_000;
const POLL_INTERVAL_MS = 2_000;
const PROGRESS_INTERVAL_MS = 20_000;
const POWER_OFF_TIMEOUT_MS = 90_000;

const log = (line: string) => console.log(`[image-test] ${line}`);

async function spareTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  if (address === null || typeof address === 'string') throw new Error('the TCP port probe got no port from the OS');
  return address.port;
}

function readSerial(vm: Vm): string {
  return existsSync(vm.serialLog) ? readFileSync(vm.serialLog, 'utf8') : '';
}

function lastSerialLine(vm: Vm): string {
  const lines = readSerial(vm).split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.at(-1)?.slice(0, 160) ?? '(serial console still empty)';
}

/** Polls GET /api/health until it returns 200 or the timeout passes, printing progress. */
async function waitForHealth(vm: Vm, baseUrl: string): Promise<unknown> {
  const started = Date.now();
  let lastProgress = started;
  let lastError = 'no attempt yet';
  while (Date.now() - started < HEALTH_TIMEOUT_MS) {
    if (vm.process.exitCode !== null) {
      throw new Error(`qemu exited (code ${vm.process.exitCode}) before the node was healthy; serial console:\n${readSerial(vm).slice(-4000)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return await response.json();
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      log(`${Math.round((Date.now() - started) / 1000)} s, health not yet up (${lastError}); console: ${lastSerialLine(vm)}`);
    }
    await new Promise((wait) => setTimeout(wait, POLL_INTERVAL_MS));
  }
  throw new Error(
    `GET /api/health did not return 200 within ${HEALTH_TIMEOUT_MS / 1000} s (${accel}; last: ${lastError}); serial console:\n${readSerial(vm).slice(-4000)}`,
  );
}

describe(`edge image boot (${accel})`, () => {
  let vm: Vm | undefined;
  let baseUrl = '';
  let health: unknown;

  beforeAll(async () => {
    const image = await ensureEdgeImage(log);
    const port = await spareTcpPort();
    baseUrl = `http://127.0.0.1:${port}`;
    log(`booting ${image} with ${accel}, guest port 8080 on ${baseUrl}`);
    const started = Date.now();
    vm = bootVm({ image, hostPort: port, accel });
    health = await waitForHealth(vm, baseUrl);
    log(`boot to health: ${Math.round((Date.now() - started) / 1000)} s`);
  });

  afterAll(async () => {
    if (!vm) return;
    try {
      const outcome = await vm.powerOff(POWER_OFF_TIMEOUT_MS);
      log(`power off: ${outcome === 'clean' ? 'guest shut down' : `no shutdown within ${POWER_OFF_TIMEOUT_MS / 1000} s, qemu killed`}`);
    } finally {
      vm.dispose();
    }
  });

  it('health reports setup mode', () => {
    expect(health).toMatchObject({ status: expect.any(String), version: expect.any(String), mode: 'setup' });
  });

  it('setup status is "setup"', async () => {
    const response = await fetch(`${baseUrl}/api/setup/status`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { state?: unknown };
    expect(body.state).toBe('setup');
  });

  it('setup page serves the web app', async () => {
    // The web app's routes fall back to index.html only for requests that accept HTML, as browsers' do.
    const response = await fetch(`${baseUrl}/setup`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<!doctype html>/i);
    expect(html).toMatch(/<script[^>]+type="module"/);
  });

  it('serial console shows the setup code', async () => {
    // The service prints the code and the setup URL once it listens, and journald forwards them to
    // the serial port, which can lag the first health response by a moment.
    const deadline = Date.now() + 30_000;
    const codeLine = /simtestlab-edge\[\d+\]:.*code.*\b\d{4}-\d{4}\b/i;
    while (!codeLine.test(readSerial(vm!)) && Date.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 1_000));
    }
    const serial = readSerial(vm!);
    const tail = `serial console, last 3000 characters:\n${serial.slice(-3000)}`;
    expect(serial, tail).toMatch(codeLine);
    expect(serial, tail).toMatch(/http:\/\/\S+\/setup/);
  });
});
