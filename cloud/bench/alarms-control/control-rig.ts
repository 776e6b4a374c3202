import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startPymodbus, type PymodbusServer } from '../../../edge-node/test/drivers/modbus/pymodbus-process';
import { closeModbusClient, connectModbusClient } from '../../../edge-node/test/simulate/modbus-test-client';
import { edgeUrl, POWER_ADDRESS, queryEdge, SAFE_VALUE, SETPOINT_ADDRESS, writeControlSite } from '../../test/control/edge-site';
import { until } from '../../test/live/live-support';
import { createCloudFixture, type CloudFixture } from '../../test/support/cloud-fixture';
import { serveHub, type ServedHub } from '../../test/support/served-hub';
import { seedSiteRoles, type SiteRoles } from '../../test/support/site-roles';
import { pairEdge, startEdge, stopProcess, type EdgeProcess } from '../../test/sync-faults/edge-process';
import { createRelayApp, waitForPresence, type RelayApp } from '../../test/uplink-requests/relay-support';

type ModbusClient = Awaited<ReturnType<typeof connectModbusClient>>;

/**
 * A hub served on 127.0.0.1 with the control routes, as `cloud start` wires it, and a paired
 * `edge-node start` process polling a pymodbus device every `RIG_POLL_INTERVAL_MS`. The device has the writable
 * `plc.setpoint` (no minimum interval between writes) and `plc.power`, which the site file's `high`
 * rule watches (above 100 raises it). The edge uploads with the default idle interval of 5 s, so only
 * the uploader's wake on an alarm transition makes alarms reach the hub sooner.
 */
export interface ControlRig {
  fixture: CloudFixture;
  ctx: SiteRoles;
  hub: ServedHub;
  /** A client of the pymodbus device, to change registers as the plant would. */
  registers: ModbusClient;
  /** Stops the edge process and waits until the hub has dropped its uplink. */
  stopEdge(): Promise<void>;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** Poll interval of the device, as in the live latency benchmark. */
export const RIG_POLL_INTERVAL_MS = 100;

/**
 * Writes the control site file of the remote control tests with the bench's poll interval and without
 * its upload settings, so the edge keeps the default idle interval.
 */
function writeSite(dataDir: string, modbusPort: number): void {
  const path = writeControlSite(dataDir, modbusPort);
  const site = JSON.parse(readFileSync(path, 'utf8')) as { cloud?: unknown; devices: { pollIntervalMs: number }[] };
  delete site.cloud;
  for (const device of site.devices) device.pollIntervalMs = RIG_POLL_INTERVAL_MS;
  writeFileSync(path, JSON.stringify(site, null, 2));
}

/** Starts the device, the hub and the edge, and resolves once the edge has its uplink open and has synced the site manager. */
export async function startControlRig(): Promise<ControlRig> {
  let modbus: PymodbusServer | undefined;
  let registers: ModbusClient | undefined;
  let fixture: CloudFixture | undefined;
  let relay: RelayApp | undefined;
  let hub: ServedHub | undefined;
  let dataDir: string | undefined;
  let edge: EdgeProcess | undefined;
  const close = async () => {
    await stopProcess(edge?.child);
    relay?.edgeRequests.close();
    await hub?.close();
    await fixture?.close();
    if (registers) await closeModbusClient(registers);
    await modbus?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    modbus = await startPymodbus({ transport: 'tcp' }, { 1: { hr: { [SETPOINT_ADDRESS]: SAFE_VALUE, [POWER_ADDRESS]: 0 } } });
    registers = await connectModbusClient(modbus.port!, 1);
    fixture = await createCloudFixture('bench_alarms_control');
    const ctx = await seedSiteRoles(fixture);
    relay = createRelayApp(fixture);
    // One instance serves the control routes and has the edge's uplink, as a single `cloud start` does.
    hub = await serveHub({ ...fixture, app: relay.app });
    dataDir = await pairEdge(fixture.app, ctx.tokens.site_manager, ctx.siteId, hub.url);
    writeSite(dataDir, modbus.port!);
    edge = startEdge(dataDir);
    await edgeUrl(edge, READY_TIMEOUT_MS);
    // The edge checks the hub's user against its synced users before it writes.
    const managerSynced = async () => {
      const rows = await queryEdge<{ n: number }>(dataDir!, "SELECT count(*) AS n FROM cloud_site_users WHERE email = 'site_manager@acme.test'").catch(() => [{ n: 0 }]);
      return rows[0]!.n === 1;
    };
    await until(managerSynced, READY_TIMEOUT_MS);
    await waitForPresence(fixture, ctx.siteId);
    const started = { fixture, ctx, hub, registers };
    return {
      ...started,
      stopEdge: async () => {
        await stopProcess(edge?.child);
        await waitForPresence(started.fixture, ctx.siteId, false);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
