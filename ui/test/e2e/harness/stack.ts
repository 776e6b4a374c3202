import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncStatusSchema, type SyncStatus } from '@simtestlab/sync';
import { resolveSiteDevices } from './edge-config';
import { buildSiteFile, type SiteFile } from './edge-site';
import { createLocalAdmin, pairEdge, prepareEdge, readEdgeSiteUsers, type EdgeProcess } from './edge-process';
import { expectJson, loginToEdge, loginToHub } from './hub-api';
import { createHub, type HubProcess } from './hub-process';
import { seedHub, stackRoles, type Credentials, type HubSeed } from './hub-seed';
import { simulatorKinds, startSimulator, type RunningSimulator, type SimulatorKind } from './simulators';
import { fetchJson, waitUntil } from './wait';

/*
 * The whole system of the end-to-end tests as real processes on 127.0.0.1: device simulators, an edge
 * node polling them, and (unless standalone) a cloud hub on a private database with the edge paired
 * to it and one user per role. `stop` ends every process and removes every database, key and folder.
 */

/** Time the stack waits for the edge's devices, the uplink and the user sync, each. */
const SYNC_TIMEOUT_MS = 120_000;

/** Options of `startStack`; every field has a default. */
export interface StackOptions {
  /** Whether to start a hub and pair the edge with it (default true); false starts the edge standalone. */
  hub?: boolean;
  /** Simulators to run, each giving the edge its demo-site devices (default: all of `simulatorKinds`). */
  simulators?: readonly SimulatorKind[];
  /** Replay speed, data set seconds per second (default 60, so each poll reads a new minute of data). */
  speed?: number;
  /** Minutes into the data sets where replays start (default 600, 10:00, when the PV systems produce). */
  offsetMin?: number;
  /** Poll interval of every device, in ms (default 1000). */
  pollIntervalMs?: number;
  /** Whether operators may control points at the hub's site (default false). */
  operatorControl?: boolean;
  /** MQTT broker of the weather station and the edge (default mqtt://127.0.0.1:1883). */
  brokerUrl?: string;
  /** Changes the generated site file before the edge starts, for example to add points or alarm rules. */
  customizeSite?: (site: SiteFile) => void;
  /** Variables added to the hub's environment. */
  hubEnv?: Record<string, string>;
  /** Variables added to the edge's environment. */
  edgeEnv?: Record<string, string>;
  /** Whether to wait until every device of the edge is online (default true). */
  waitForDevices?: boolean;
}

/** The hub part of a full stack. */
export interface StackHub extends HubSeed {
  /** `http://127.0.0.1:<port>`; the same after `stop` and `start`. */
  url: string;
  /** The platform admin created with `cloud create-admin`. */
  admin: Credentials;
  /** The hub process, which `stop` and `start` control without touching Postgres or Redis. */
  process: HubProcess;
  /** Stops the hub process (SIGTERM, or SIGKILL with `kill`), for cloud outage tests. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts the hub process again on the same port and waits for /healthz. */
  start(): Promise<void>;
  /** Reads the hub's sync status of the site, as the platform admin. */
  syncStatus(): Promise<SyncStatus>;
  /** Waits until the hub's sync status shows the edge's live uplink connected, as after a `start`. */
  waitForEdgeConnected(timeoutMs?: number): Promise<void>;
}

/** The edge part of a stack. */
export interface StackEdge extends EdgeProcess {
  /** The local installer account (site_manager role), which logs in also without the hub. */
  localAdmin: { username: string; password: string };
  /** Reads the edge's `GET /api/sync/status` as the local installer (`siteId` null while never paired). */
  syncStatus(): Promise<SyncStatus>;
}

/** An edge node with its simulators; `hub` is set unless the stack is standalone. */
export interface EdgeStack {
  edge: StackEdge;
  simulators: RunningSimulator[];
  hub: StackHub | undefined;
  /** Ends every process (process groups) and removes the database, Redis keys and temporary folders. */
  stop(): Promise<void>;
}

/** A stack with a hub: `hub` is always set. */
export interface FullStack extends EdgeStack {
  hub: StackHub;
}

/** Returns a password of 24 characters, new for each stack. */
function newPassword(): string {
  return `e2e-${randomBytes(15).toString('base64url')}`;
}

/** Starts a full stack: simulators, a hub with its seed, and the edge paired with it. */
export function startStack(options?: StackOptions & { hub?: true }): Promise<FullStack>;
/** Starts simulators and an edge node without a hub. */
export function startStack(options: StackOptions & { hub: false }): Promise<EdgeStack>;
export async function startStack(options: StackOptions = {}): Promise<EdgeStack> {
  const withHub = options.hub ?? true;
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse().splice(0)) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `stopping the end-to-end stack failed ${errors.length} time(s)`);
  };

  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-edge-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const suffix = randomBytes(4).toString('hex');
    const brokerUrl = options.brokerUrl ?? 'mqtt://127.0.0.1:1883';
    const replay = { speed: options.speed ?? 60, offsetMin: options.offsetMin ?? 600, brokerUrl, mqttSite: `e2e-${suffix}` };

    // The hub and the simulators start at once: each is mostly waiting for its own process to boot.
    const admin = { email: 'platform-admin@simtestlab.test', password: newPassword() };
    const hubStart = withHub ? createHub(admin, { env: options.hubEnv ?? {} }) : Promise.resolve(undefined);
    const simulatorStarts = (options.simulators ?? simulatorKinds).map((kind) => startSimulator(kind, replay));
    const [hubResult, ...simulatorResults] = await Promise.allSettled([hubStart, ...simulatorStarts]);
    const simulators: RunningSimulator[] = [];
    for (const result of simulatorResults) {
      if (result.status !== 'fulfilled') continue;
      simulators.push(result.value);
      cleanups.push(() => result.value.process.stop());
    }
    const hubProcess = hubResult.status === 'fulfilled' ? hubResult.value : undefined;
    if (hubProcess !== undefined) cleanups.push(() => hubProcess.remove());
    const failed = [hubResult, ...simulatorResults].find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;

    const siteFile = await buildSiteFile(simulators, {
      siteId: `e2e-site-${suffix}`,
      siteName: 'Riverside Plant',
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      brokerUrl,
      mqttSite: replay.mqttSite,
    });
    options.customizeSite?.(siteFile);

    const localAdmin = { username: 'installer', password: newPassword() };
    const edge = withEdgeApi(await prepareEdge(dataDir, siteFile, options.edgeEnv), localAdmin);
    let hub: StackHub | undefined;
    if (hubProcess !== undefined) {
      hub = await seedStackHub(hubProcess, admin, siteFile, await resolveSiteDevices(edge.siteFilePath), options);
      await pairEdge(dataDir, hub.url, hub.pairingCode);
    }
    await createLocalAdmin(dataDir, localAdmin.username, localAdmin.password);
    cleanups.push(() => edge.stop());
    await edge.start();

    if (options.waitForDevices ?? true) await waitForDevicesOnline(edge);
    if (hub !== undefined) await waitForSync(edge, hub);
    return { edge, simulators, hub, stop };
  } catch (error) {
    await stop().catch((cleanupError: unknown) => {
      throw new AggregateError([error, cleanupError], 'starting the end-to-end stack failed, and so did removing what it had started');
    });
    throw error;
  }
}

/** Adds the local installer and a sync status reader to the edge. */
function withEdgeApi(edge: EdgeProcess, localAdmin: StackEdge['localAdmin']): StackEdge {
  let token: string | undefined;
  return Object.assign(edge, {
    localAdmin,
    syncStatus: async () => {
      // A failed call drops the token, because it may have expired, so the next call logs in again.
      token ??= await loginToEdge(edge.url, localAdmin.username, localAdmin.password);
      try {
        return syncStatusSchema.parse(await expectJson(edge.url, 'GET', '/api/sync/status', 200, { token }));
      } catch (error) {
        token = undefined;
        throw error;
      }
    },
  });
}

/** Seeds the running hub with the organization, site, devices, edge node and users of the stack. */
async function seedStackHub(hubProcess: HubProcess, admin: Credentials, siteFile: SiteFile, devices: Record<string, unknown>[], options: StackOptions): Promise<StackHub> {
  const seed = await seedHub(hubProcess.url, admin, {
    organizationName: 'Acme Energy',
    siteName: siteFile.site.name,
    timeZone: siteFile.site.timeZone,
    operatorControl: options.operatorControl ?? false,
    devices,
    password: newPassword(),
    emailDomain: 'acme.test',
  });
  let adminToken: string | undefined;
  const hub: StackHub = {
    ...seed,
    url: hubProcess.url,
    admin,
    process: hubProcess,
    stop: (stopOptions) => hubProcess.stop(stopOptions),
    start: () => hubProcess.start(),
    syncStatus: async () => {
      // Access tokens live 15 minutes, so a failed call drops the token and the next call logs in again.
      adminToken ??= await loginToHub(hubProcess.url, admin.email, admin.password);
      try {
        return syncStatusSchema.parse(await expectJson(hubProcess.url, 'GET', `/api/sites/${seed.siteId}/sync-status`, 200, { token: adminToken }));
      } catch (error) {
        adminToken = undefined;
        throw error;
      }
    },
    waitForEdgeConnected: async (timeoutMs = SYNC_TIMEOUT_MS) => {
      const processes = hubProcess.process === undefined ? [] : [hubProcess.process];
      await waitUntil(
        async () => {
          const status = await hub.syncStatus();
          if (!status.liveConnected) throw new Error(`the hub's sync status has liveConnected false: ${JSON.stringify(status)}`);
          return true;
        },
        { description: "the hub's sync status to show the edge's live uplink connected", timeoutMs, processes },
      );
    },
  };
  return hub;
}

/** Waits until /api/health of the edge counts every device online. */
async function waitForDevicesOnline(edge: EdgeProcess): Promise<void> {
  await waitUntil(
    async () => {
      const health = (await fetchJson(`${edge.url}/api/health`)) as { devices?: { total?: number; online?: number; offline?: string[] } };
      const devices = health.devices;
      if (devices?.total === undefined || devices.online !== devices.total) {
        throw new Error(`devices online: ${devices?.online}/${devices?.total}, offline: ${JSON.stringify(devices?.offline)}`);
      }
      return true;
    },
    { description: 'every device of the edge to be online', timeoutMs: SYNC_TIMEOUT_MS, processes: edge.process ? [edge.process] : [] },
  );
}

/** Waits until the hub's sync status shows the edge's live uplink, and the edge has synced every seeded user with a password. */
async function waitForSync(edge: EdgeProcess, hub: StackHub): Promise<void> {
  const processes = [edge.process, hub.process.process].filter((managed) => managed !== undefined);
  await hub.waitForEdgeConnected();
  const emails = stackRoles.map((role) => hub.users[role].email);
  await waitUntil(
    async () => {
      const synced = await readEdgeSiteUsers(edge.dataDir);
      const missing = emails.filter((email) => !synced.some((user) => user.email === email && user.hasPassword && user.status === 'active'));
      if (missing.length > 0) throw new Error(`users not yet synced with a password: ${missing.join(', ')}`);
      return true;
    },
    { description: 'the edge to sync every seeded hub user', timeoutMs: SYNC_TIMEOUT_MS, processes },
  );
}
