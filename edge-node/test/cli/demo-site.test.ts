import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../src/config/load';
import { EDGE_NODE_DIR, runCli, startCli, waitUntil, type CliProcess } from './run-edge-cli';

/*
 * `edge-node demo --site b --simulators-only` starts the simulators of demo site B on the ports its site
 * file polls, so site A's demo can run beside it. An unknown site is rejected before anything starts.
 * The ports are fixed by the site file, so this test fails when another process holds them.
 */

const SITE_B_FILE = join(EDGE_NODE_DIR, 'sites', 'demo-site-b.yaml');
let demo: CliProcess | undefined;

afterAll(async () => {
  if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
    demo.child.kill('SIGKILL');
    await demo.exited;
  }
});

/** Reads holding registers 40000-40001 over Modbus TCP, unit 1, where a SunSpec device returns "SunS". */
function readSunSpecMarker(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no Modbus response from ${host}:${port} within 5 s`));
    }, 5_000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('data', (frame) => {
      clearTimeout(timer);
      socket.destroy();
      // MBAP header (7 bytes), function code 3, byte count, then the register values.
      resolve(frame.subarray(9, 13).toString('latin1'));
    });
    socket.connect(port, host, () => socket.write(Buffer.from([0, 1, 0, 0, 0, 6, 1, 3, 0x9c, 0x40, 0, 2])));
  });
}

/** Opens a TCP connection to `host:port` and closes it again; rejects when nothing listens. */
function connectTcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, host, () => {
      socket.destroy();
      resolve();
    });
  });
}

/** Resolves with the error code of binding `host:port` over UDP, or null when the port was free. */
function udpBindError(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      resolve(error.code ?? error.message);
    });
    socket.bind(port, host, () => socket.close(() => resolve(null)));
  });
}

describe('edge-node demo --site', { timeout: 60_000 }, () => {
  it('rejects an unknown site', async () => {
    const result = await runCli(['demo', '--site', 'c', '--simulators-only']);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('--site: invalid value "c", expected a or b');
    expect(result.stdout).not.toContain('simulator started');
  });

  it('runs site b simulators on its ports', async () => {
    const config = loadSiteConfig(SITE_B_FILE);
    const modbus = config.devices.flatMap((device) => (device.driver === 'modbus-tcp' ? [{ key: device.key, ...device.connection }] : []));
    const bacnet = config.devices.flatMap((device) => (device.driver === 'bacnet' ? [device.connection.address] : []));
    expect(modbus.map((device) => device.port)).toEqual([15512, 15513, 15514]);
    expect(bacnet).toEqual(['127.0.0.1:47819']);

    demo = startCli(['demo', '--site', 'b', '--simulators-only']);
    const running = demo;
    await waitUntil('the demo start line', () => running.stdout().includes('demo simulators of site b running on 127.0.0.1') || running.child.exitCode !== null, 40_000);
    expect(running.child.exitCode, running.stderr()).toBeNull();
    expect(running.stdout()).not.toContain('MQTT broker');

    // The inverter and the grid meter use the SunSpec template; the sub-meter an SDM630 register map.
    const sunspecKeys = ['pv-inverter', 'grid-meter'];
    for (const device of modbus.filter((candidate) => sunspecKeys.includes(candidate.key))) {
      expect(await readSunSpecMarker(device.host, device.port), device.key).toBe('SunS');
    }
    const submeter = modbus.find((device) => device.key === 'house-submeter')!;
    await expect(connectTcp(submeter.host, submeter.port)).resolves.toBeUndefined();
    const [bacnetHost, bacnetPort] = bacnet[0]!.split(':');
    expect(await udpBindError(bacnetHost!, Number(bacnetPort))).toBe('EADDRINUSE');

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
