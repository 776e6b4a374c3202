import { join } from 'node:path';
import { startHttpServer, type RunningHttpServer } from '../api/server';
import type { MetricSource } from '../api/metrics';
import { createEdgeAuth } from '../auth/edge-auth';
import { loadEdgeTokenKey } from '../auth/edge-token-key';
import type { HubTokenSettings } from '../auth/hub-tokens';
import { startCloudLink, type CloudLink } from '../cloud/cloud-link';
import { mqttMetricFamilies } from '../drivers/mqtt';
import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import { EdgeRuntime } from './edge-runtime';

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
}

export interface RunningEdgeNode {
  runtime: EdgeRuntime;
  /** The metadata sync with the hub, or null for an edge that is not paired. */
  cloud: CloudLink | null;
  http: RunningHttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Starts a whole edge node: store, pollers, the HTTP server and, once paired, the cloud sync. */
export async function startEdgeNode(options: EdgeNodeOptions): Promise<RunningEdgeNode> {
  const runtime = new EdgeRuntime({ config: options.config, databasePath: join(options.dataDir, 'edge.db'), logger: options.logger });
  await runtime.start();
  let http: RunningHttpServer;
  try {
    http = await startHttpServer(runtime, options.logger, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      allowRemote: options.allowRemote ?? false,
      auth: createEdgeAuth({ db: runtime.db, tokenKey: loadEdgeTokenKey(options.dataDir), logger: options.logger.child({ component: 'auth' }), hubTokens: options.hubTokens }),
      metricSources: [mqttMetricFamilies, ...(options.metricSources ?? [])],
    });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const cloud = await startCloudLink(options.dataDir, runtime.db, options.logger);
  options.logger.info({ url: http.url, site: options.config.site.id, devices: options.config.devices.length }, 'edge node started');
  return {
    runtime,
    cloud,
    http,
    url: http.url,
    stop: async () => {
      await cloud?.stop();
      await http.close();
      await runtime.stop();
      options.logger.info('edge node stopped');
    },
  };
}
