import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { foundDeviceSchema, type FoundDevice } from '../../src/setup/scan/schemas';

/**
 * End-to-end scan of a /24 built from network namespaces: a bridge namespace and one namespace per
 * host, each joined to the bridge by a veth pair. Device simulators and the scanner each run in their
 * own namespace through `ip netns exec`, so no scan traffic reaches the root namespace's network.
 * Needs root for `ip netns`.
 */

const edgeDir = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${edgeDir}bin/edge-node.mjs`;
const scanModule = `${edgeDir}src/setup/scan/index.ts`;
const loggerModule = `${edgeDir}src/logger.ts`;

const runId = randomBytes(3).toString('hex');
const subnet = '10.213.0';
const cidr = `${subnet}.0/24`;
const bridgeNamespace = `lsb-${runId}`;

/** Last octet of each host's address. */
const hosts = { scanner: 2, inverter: 11, meter: 12, sdm630: 13, ahu: 14, empty: 20 } as const;
type HostName = keyof typeof hosts;
const namespaceOf = (host: HostName): string => `ls${hosts[host]}-${runId}`;
const addressOf = (host: HostName): string => `${subnet}.${hosts[host]}`;

const RESULT_MARKER = 'LAN-SCAN-RESULT ';

/** Runs a scan with the options in argv[2] and prints the job once it settles; logs go to stdout as JSON lines. */
const runnerScript = `
const [scanModule, loggerModule, json] = process.argv.slice(1);
const { startLanScan } = await import(scanModule);
const { createLogger } = await import(loggerModule);
const { cancelAfterMs, ...request } = JSON.parse(json);
const startedAt = performance.now();
const job = startLanScan({ ...request, logger: createLogger({ level: 'info', name: 'lan-scan-test' }) });
if (cancelAfterMs !== undefined) setTimeout(() => job.cancel(), cancelAfterMs);
await job.finished;
const { cancel, finished, ...result } = job;
console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ ...result, durationMs: Math.round(performance.now() - startedAt) }));
`;

const scanResultSchema = z.object({
  id: z.string(),
  cidr: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  progress: z.object({ done: z.number(), total: z.number() }),
  error: z.string().optional(),
  found: z.array(foundDeviceSchema),
  durationMs: z.number(),
});
type ScanResult = z.infer<typeof scanResultSchema>;

/** Returns why `ip netns` cannot be used here, or undefined when it can. */
function netnsUnavailable(): string | undefined {
  const probe = `lsp-${runId}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.error) return `the ip command cannot run: ${added.error.message}`;
  if (added.status !== 0) return `ip netns add is not permitted: ${added.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const skipReason = netnsUnavailable();
const namespaces: string[] = [];
const simulators: ChildProcess[] = [];

function addNamespace(name: string): void {
  ip('netns', 'add', name);
  namespaces.push(name);
  ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** Adds a host namespace with `eth0` on the bridge and its address in the /24. */
function addHost(host: HostName): void {
  const namespace = namespaceOf(host);
  const bridgePort = `e${hosts[host]}`;
  addNamespace(namespace);
  ip('-n', bridgeNamespace, 'link', 'add', bridgePort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
  ip('-n', bridgeNamespace, 'link', 'set', bridgePort, 'master', 'br0', 'up');
  ip('-n', namespace, 'addr', 'add', `${addressOf(host)}/24`, 'dev', 'eth0');
  ip('-n', namespace, 'link', 'set', 'eth0', 'up');
}

/** Starts `edge-node simulate` in a host's namespace and waits for its start line. */
async function startSimulator(host: HostName, args: string[]): Promise<void> {
  // The IPC channel stops the simulator when this process exits, even if afterAll never runs.
  const child = spawn('ip', ['netns', 'exec', namespaceOf(host), process.execPath, bin, 'simulate', ...args], {
    cwd: edgeDir,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  simulators.push(child);
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator ${args.join(' ')} printed no start line within 30 s; stderr: ${stderr.join('')}`)), 30_000);
    lines.once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator ${args.join(' ')} exited with code ${code}; stderr: ${stderr.join('')}`));
    });
  });
}

/** Runs one scan in the scanner's namespace and returns the settled job. */
async function runScan(request: Record<string, unknown>): Promise<{ result: ScanResult; logs: string[] }> {
  const args = ['netns', 'exec', namespaceOf('scanner'), process.execPath, '--import', 'tsx', '--input-type=module', '-e', runnerScript];
  const child = spawn('ip', [...args, scanModule, loggerModule, JSON.stringify(request)], { cwd: edgeDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  let resultLine: string | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith(RESULT_MARKER)) resultLine = line.slice(RESULT_MARKER.length);
    else logs.push(line);
  });
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  // The runner exits by itself only when the scan closed every socket and timer it opened.
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0 || resultLine === undefined) throw new Error(`scanner exited with code ${code} and no result; output:\n${logs.join('\n')}`);
  return { result: scanResultSchema.parse(JSON.parse(resultLine)), logs };
}

function findAt(found: readonly FoundDevice[], address: string): FoundDevice[] {
  return found.filter((device) => (device.protocol === 'modbus-tcp' ? device.host : device.address) === address);
}

describe.skipIf(skipReason !== undefined)(`LAN scan in network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    addNamespace(bridgeNamespace);
    ip('-n', bridgeNamespace, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', bridgeNamespace, 'link', 'set', 'br0', 'up');
    for (const host of Object.keys(hosts) as HostName[]) addHost(host);

    await Promise.all([
      startSimulator('inverter', ['sunspec-inverter', '--host', addressOf('inverter'), '--port', '502', '--unit-id', '1']),
      startSimulator('meter', ['sunspec-meter', '--host', addressOf('meter'), '--port', '502']),
      startSimulator('sdm630', ['sdm630', '--host', addressOf('sdm630'), '--port', '502']),
      // Bound to 0.0.0.0, because a socket bound to the host address does not receive the broadcast Who-Is.
      startSimulator('ahu', ['bacnet-ahu', '--host', '0.0.0.0', '--port', '47808']),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      simulators.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
    const failures: string[] = [];
    for (const namespace of namespaces.reverse()) {
      const deleted = spawnSync('ip', ['netns', 'del', namespace], { encoding: 'utf8' });
      if (deleted.status !== 0) failures.push(`${namespace}: ${deleted.stderr.trim()}`);
    }
    if (failures.length > 0) throw new Error(`could not delete network namespaces: ${failures.join('; ')}`);
  }, 60_000);

  it('finds SunSpec, plain Modbus and BACnet devices', async () => {
    const { result } = await runScan({ cidr, modbusPorts: [502], unitIds: [1, 2], bacnet: true, bacnetPort: 47808 });
    console.info(`LAN scan of ${cidr} (3 Modbus TCP hosts, 1 BACnet device, unit ids 1 and 2) took ${result.durationMs} ms`);

    expect(result.state).toBe('done');
    expect(result.error).toBeUndefined();
    expect(result.cidr).toBe(cidr);
    expect(result.progress.total).toBe(254 + 1);
    expect(result.progress.done).toBe(result.progress.total);

    const inverter = findAt(result.found, addressOf('inverter'));
    expect(inverter.map((device) => device.protocol === 'modbus-tcp' && device.unitId)).toEqual([1, 2]);
    expect(inverter[0]).toMatchObject({
      protocol: 'modbus-tcp',
      port: 502,
      sunspec: { manufacturer: 'SimTestLab', model: 'Replay pecos PV system 1', serialNumber: 'PECOS-SYS1', version: '0.1.0', models: [1, 103] },
      suggestedTemplates: ['sunspec'],
    });
    expect(inverter[1]).toMatchObject({ sunspec: { model: 'Replay pecos PV system 2', serialNumber: 'PECOS-SYS2', models: [1, 103] } });

    const meter = findAt(result.found, addressOf('meter'));
    expect(meter).toHaveLength(1);
    expect(meter[0]).toMatchObject({ unitId: 1, sunspec: { manufacturer: 'SimTestLab', model: 'Replay UCI household meter', models: [1, 203] } });

    const sdm630 = findAt(result.found, addressOf('sdm630'));
    expect(sdm630).toHaveLength(1);
    expect(sdm630[0]).toMatchObject({ protocol: 'modbus-tcp', port: 502, unitId: 1, sunspec: null });
    expect(sdm630[0]!.suggestedTemplates).toEqual([]);

    const ahu = findAt(result.found, addressOf('ahu'));
    expect(ahu).toEqual([
      {
        key: `bacnet:${addressOf('ahu')}:47808:2001`,
        protocol: 'bacnet',
        address: addressOf('ahu'),
        port: 47808,
        deviceInstance: 2001,
        vendorId: 0,
        vendorName: 'SimTestLab',
        objectName: 'FLEXLAB cell A air handler',
        modelName: 'FLEXLAB air handler replay',
        suggestedTemplates: ['flexlab-ahu'],
      },
    ]);

    expect(findAt(result.found, addressOf('empty'))).toEqual([]);
    expect(findAt(result.found, addressOf('scanner'))).toEqual([]);
    expect(result.found).toHaveLength(5);
    expect(new Set(result.found.map((device) => device.key)).size).toBe(5);
  }, 120_000);

  it('closed port finds nothing', async () => {
    const { result } = await runScan({ cidr: `${addressOf('inverter')}/32`, modbusPorts: [503], unitIds: [1], bacnet: false, bacnetPort: 47808 });

    expect(result.state).toBe('done');
    expect(result.progress).toEqual({ done: 1, total: 1 });
    expect(result.found).toEqual([]);
  }, 60_000);

  it('cancel ends the scan as failed', async () => {
    const { result } = await runScan({ cidr, modbusPorts: [502], unitIds: [1], bacnet: false, bacnetPort: 47808, cancelAfterMs: 100 });

    expect(result.state).toBe('failed');
    expect(result.error).toBe('scan cancelled');
    expect(result.progress.done).toBeLessThan(result.progress.total);
  }, 60_000);
});
