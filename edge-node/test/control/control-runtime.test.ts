import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ModbusRTU from 'modbus-serial';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log';
import { createSilentLogger } from '../../src/logger';
import { EdgeRuntime } from '../../src/runtime/edge-runtime';
import { openDatabase } from '../../src/store/database';
import { testSiteConfig } from '../api/api-fixture';
import { startPymodbus, type PymodbusServer } from '../drivers/modbus/pymodbus-process';
import { closeModbusClient, connectModbusClient } from '../simulate/modbus-test-client';
import { remoteManager, waitUntil } from './control-support';

// `runtime.control` in a running edge node, whose poller starts the driver the commands use.

const SAFE_VALUE = 10;

let server: PymodbusServer;
let reader: ModbusRTU;
let dataDir: string;
let runtime: EdgeRuntime | undefined;

function config() {
  return testSiteConfig({
    devices: [
      {
        key: 'plc',
        driver: 'modbus-tcp',
        pollIntervalMs: 60_000,
        connection: { host: '127.0.0.1', port: server.port!, timeoutMs: 300 },
        points: [{ key: 'setpoint', address: 0, dataType: 'int16', writable: true, control: { safeValue: SAFE_VALUE, minIntervalMs: 0 } }],
      },
    ],
  });
}

async function startRuntime(): Promise<EdgeRuntime> {
  const started = new EdgeRuntime({ config: config(), databasePath: join(dataDir, 'edge.db'), logger: createSilentLogger() });
  await started.start();
  runtime = started;
  return started;
}

async function setpoint(): Promise<number> {
  return (await reader.readHoldingRegisters(0, 1)).data[0]!;
}

beforeAll(async () => {
  server = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { 0: 20 } } });
  reader = await connectModbusClient(server.port!, 1);
  dataDir = mkdtempSync(join(tmpdir(), 'edge-control-runtime-'));
});

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

afterAll(async () => {
  await closeModbusClient(reader);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runtime control', () => {
  it('releases remote leases when the edge node stops', async () => {
    const started = await startRuntime();
    await waitUntil(() => started.pollers.get('plc')?.startedDriver() !== undefined, 5000, 'the driver to start');
    const result = await started.control.execute({ point: 'plc.setpoint', command: { kind: 'write', value: 30 }, actor: remoteManager, source: 'remote' });
    expect(result).toMatchObject({ ok: true, readBack: 30 });

    await started.stop();
    runtime = undefined;

    expect(await setpoint()).toBe(SAFE_VALUE);
  });

  it('releases a remote lease left by a crash once the device connects', async () => {
    // A crash leaves the remote value on the device and its lease row behind.
    await reader.writeRegister(0, 33);
    const db = openDatabase(join(dataDir, 'edge.db'));
    db.prepare("INSERT INTO control_leases (point, source, value, user_id, user_name, started_at, expires_at) VALUES ('plc.setpoint', 'remote', '33', ?, 'hub user', ?, ?)").run(
      remoteManager.id,
      Date.now(),
      Date.now() + 60_000,
    );
    db.close();

    const started = await startRuntime();

    await waitUntil(async () => (await setpoint()) === SAFE_VALUE, 5000, 'the safe value after the restart');
    await waitUntil(() => started.control.activeLeases().length === 0, 2000, 'the lease row to go');
    const [entry] = listAuditEntries(started.db, { action: 'control.link_lost_release' }).slice(-1);
    expect(entry!.details).toMatchObject({ point: 'plc.setpoint', oldValue: 33, newValue: SAFE_VALUE, result: 'ok', reason: 'the edge node restarted' });
  });
});
