import { join } from 'node:path';
import { startHttpServer, type RunningHttpServer } from '../api/server';
import type { MetricSource } from '../api/metrics';
import { createEdgeAuth } from '../auth/edge-auth';
import { loadEdgeTokenKey } from '../auth/edge-token-key';
import type { HubTokenSettings } from '../auth/hub-tokens';
import { startCloudLink, type CloudLink } from '../cloud/cloud-link';
import { credentialExists } from '../cloud/credential';
import { LinkStatus } from '../cloud/link-status';
import { mqttMetricFamilies } from '../drivers/mqtt';
import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import { DiskBudget } from '../store/disk-budget';
import { Outbox } from '../upload/outbox';
import { enableUploadQueue } from '../upload/outbox-writer';
import { SyncMonitor } from '../upload/sync-monitor';
import { importUpdateEvents } from '../update/update-event-import';
import { DEFAULT_UPDATE_STATE_DIR } from '../update/update-state';
import { UploadStats } from '../upload/upload-stats';
import { EdgeRuntime } from './edge-runtime';

const DISK_CHECK_INTERVAL_MS = 60_000;

export interface EdgeNodeOptions {
  config: SiteConfig;
  /** Folder for the database; created when missing. */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  allowRemote?: boolean;
  /** Issuer and audience of the hub's access tokens; the hub's defaults when absent. */
  hubTokens?: HubTokenSettings;
  logger: Logger;
  metricSources?: readonly MetricSource[];
  /** The updater's state folder, whose events go into the audit log at start (default: the packaged one). */
  updateStateDir?: string;
}

export interface RunningEdgeNode {
  runtime: EdgeRuntime;
  /** The metadata sync, uploads and live uplink to the hub, or null for an edge that is not paired. */
  cloud: CloudLink | null;
  /** State of the link to the hub, shared by the uploader and the live uplink. */
  link: LinkStatus;
  /** Sync status, upload counters and disk budget, as the API reports them. */
  sync: SyncMonitor;
  http: RunningHttpServer;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a whole edge node: store, pollers, the HTTP server and, once paired, the cloud sync and the
 * uploads. A data folder with a pairing credential turns the upload outbox on before the first commit.
 * That happens once and queues the rollups and audit entries stored before; the outbox then stays on.
 */
export async function startEdgeNode(options: EdgeNodeOptions): Promise<RunningEdgeNode> {
  const databasePath = join(options.dataDir, 'edge.db');
  const runtime = new EdgeRuntime({ config: options.config, databasePath, logger: options.logger });
  try {
    // NOTE: the first start after pairing queues every stored rollup row before polling starts: 4.3
    // million rows took 11 to 18 s on the busy 2-core development machine.
    if (credentialExists(options.dataDir)) enableUploadQueue(runtime.db, options.logger.child({ component: 'upload' }));
    importUpdateEvents(runtime.db, options.updateStateDir ?? DEFAULT_UPDATE_STATE_DIR, options.logger.child({ component: 'update' }));
    await runtime.start();
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const link = new LinkStatus();
  const outbox = new Outbox(runtime.db);
  const uploadStats = new UploadStats();
  const diskBudget = new DiskBudget(databasePath, options.config.storage.diskBudgetMb, options.logger.child({ component: 'store' }));
  const sync = new SyncMonitor({ outbox, link, stats: uploadStats, diskBudget });
  diskBudget.start(DISK_CHECK_INTERVAL_MS);

  let http: RunningHttpServer;
  // The cloud link starts after the HTTP server; `GET /api/instance` reads it per request.
  let cloud: CloudLink | null = null;
  try {
    http = await startHttpServer(runtime, options.logger, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      allowRemote: options.allowRemote ?? false,
      auth: createEdgeAuth({ db: runtime.db, tokenKey: loadEdgeTokenKey(options.dataDir), logger: options.logger.child({ component: 'auth' }), hubTokens: options.hubTokens }),
      metricSources: [mqttMetricFamilies, ...(options.metricSources ?? [])],
      sync,
      cloudPairing: () => ({ paired: cloud !== null, url: cloud?.cloudUrl ?? null }),
    });
  } catch (error) {
    diskBudget.stop();
    await runtime.stop();
    throw error;
  }
  cloud = await startCloudLink(options.dataDir, runtime.db, options.logger, {
    link,
    upload: { outbox, stats: uploadStats, config: options.config.cloud.upload },
    live: { hub: runtime.hub, snapshot: () => runtime.lastValues.values(), remote: { alarms: runtime.alarms, control: runtime.control } },
  });
  // An alarm transition is uploaded at once rather than after the uploader's idle wait, so the hub and
  // its browsers see it within about one upload round trip.
  const stopWaking = runtime.alarms.onChange(() => cloud?.uploader?.wake());
  options.logger.info({ url: http.url, site: options.config.site.id, devices: options.config.devices.length }, 'edge node started');
  return {
    runtime,
    cloud,
    link,
    sync,
    http,
    url: http.url,
    stop: async () => {
      stopWaking();
      await cloud?.stop();
      diskBudget.stop();
      await http.close();
      await runtime.stop();
      options.logger.info('edge node stopped');
    },
  };
}
