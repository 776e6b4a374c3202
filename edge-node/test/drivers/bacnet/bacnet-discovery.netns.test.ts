import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceObjectSummary, DiscoveredDevice } from '../../../src/drivers/bacnet';
import type { PointReading } from '../../../src/drivers/driver';

/**
 * Broadcast Who-Is does not cross loopback, so discovery runs between two network namespaces joined
 * by a veth pair: the devices in one, the edge's client in the other. Needs root (or CAP_NET_ADMIN
 * and CAP_SYS_ADMIN) and `ip` from iproute2. The namespaces, the pair and the private addresses
 * 10.231.71.0/24 are made here and removed in afterAll, even when a step fails.
 */

const run = promisify(execFile);
const edgeNodeDir = fileURLToPath(new URL('../../../', import.meta.url));
const suffix = String(process.pid % 100_000);
const DEVICE_NAMESPACE = `stl-bacnet-dev-${suffix}`;
const EDGE_NAMESPACE = `stl-bacnet-edge-${suffix}`;
const DEVICE_LINK = `vbd${suffix}`;
const EDGE_LINK = `vbe${suffix}`;
const EDGE_ADDRESS = '10.231.71.1';
const DEVICE_ADDRESS = '10.231.71.2';
const BROADCAST = '10.231.71.255';
// Ports of this file: edge client 25870, devices 25871 and 25872 (inside the namespaces).
const CLIENT_PORT = '25870';
const DEVICE_PORTS = ['25871', '25872'];

interface ProbeReport {
  all: DiscoveredDevice[];
  lowRange: DiscoveredDevice[];
  highRange: DiscoveredDevice[];
  oneSegment: DiscoveredDevice[];
  objects: DeviceObjectSummary[];
  readings: PointReading[];
}

let devices: ChildProcess | undefined;
let report: ProbeReport;

async function ip(...args: string[]): Promise<void> {
  try {
    await run('ip', args, { timeout: 10_000 });
  } catch (error) {
    throw new Error(`"ip ${args.join(' ')}" failed (needs root and iproute2): ${(error as Error).message}`, { cause: error });
  }
}

async function removeNamespaces(): Promise<void> {
  // Deleting a namespace removes its end of the veth pair, and with it the other end.
  for (const namespace of [DEVICE_NAMESPACE, EDGE_NAMESPACE]) {
    await run('ip', ['netns', 'del', namespace], { timeout: 10_000 }).catch(() => undefined);
  }
}

async function createNetwork(): Promise<void> {
  await ip('netns', 'add', DEVICE_NAMESPACE);
  await ip('netns', 'add', EDGE_NAMESPACE);
  await ip('link', 'add', DEVICE_LINK, 'type', 'veth', 'peer', 'name', EDGE_LINK);
  await ip('link', 'set', DEVICE_LINK, 'netns', DEVICE_NAMESPACE);
  await ip('link', 'set', EDGE_LINK, 'netns', EDGE_NAMESPACE);
  await ip('-n', DEVICE_NAMESPACE, 'addr', 'add', `${DEVICE_ADDRESS}/24`, 'broadcast', BROADCAST, 'dev', DEVICE_LINK);
  await ip('-n', EDGE_NAMESPACE, 'addr', 'add', `${EDGE_ADDRESS}/24`, 'broadcast', BROADCAST, 'dev', EDGE_LINK);
  for (const [namespace, link] of [
    [DEVICE_NAMESPACE, DEVICE_LINK],
    [EDGE_NAMESPACE, EDGE_LINK],
  ] as const) {
    await ip('-n', namespace, 'link', 'set', 'lo', 'up');
    await ip('-n', namespace, 'link', 'set', link, 'up');
  }
}

async function startDevices(): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', DEVICE_NAMESPACE, process.execPath, '--import', 'tsx', 'test/drivers/bacnet/netns-devices.ts', ...DEVICE_PORTS], {
    cwd: edgeNodeDir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulated devices did not start within 20 s')), 20_000);
    lines.once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulated devices exited with code ${code} before they listened`));
    });
  });
  return child;
}

async function runEdgeProbe(): Promise<ProbeReport> {
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', EDGE_NAMESPACE, process.execPath, '--import', 'tsx', 'test/drivers/bacnet/netns-edge-probe.ts', BROADCAST, ...DEVICE_PORTS, CLIENT_PORT],
    { cwd: edgeNodeDir, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeReport;
}

describe('BACnet discovery across a veth pair', () => {
  beforeAll(async () => {
    await removeNamespaces();
    await createNetwork();
    devices = await startDevices();
    report = await runEdgeProbe();
  }, 90_000);

  afterAll(async () => {
    if (devices && devices.exitCode === null) {
      devices.kill('SIGTERM');
      await once(devices, 'exit');
    }
    await removeNamespaces();
  }, 30_000);

  it('finds every device of the segment', () => {
    expect(report.all.map((device) => [device.deviceInstance, device.address])).toEqual([
      [1001, `${DEVICE_ADDRESS}:25871`],
      [2002, `${DEVICE_ADDRESS}:25872`],
    ]);
    expect(report.all[1]).toMatchObject({ maxApduLength: 206, segmentation: 3 });
  });

  it('limits discovery to an instance range', () => {
    expect(report.lowRange.map((device) => device.deviceInstance)).toEqual([1001]);
    expect(report.highRange.map((device) => device.deviceInstance)).toEqual([2002]);
  });

  it('searches only the target segments it is given', () => {
    expect(report.oneSegment.map((device) => device.deviceInstance)).toEqual([2002]);
  });

  it('lists the objects of a device that cannot send its object-list whole', () => {
    expect(report.objects).toHaveLength(61);
    expect(report.objects[0]).toEqual({ objectType: 'device', instance: 2002, name: 'Zone controller' });
    expect(report.objects[60]).toEqual({ objectType: 'analog-input', instance: 60, name: 'Sensor 60', units: 'degrees-celsius', unit: 'C' });
  });

  it('reads a device found by its instance alone', () => {
    expect(report.readings).toEqual([{ point: 'sensor_2', value: 51, quality: 'good' }]);
  });
});
