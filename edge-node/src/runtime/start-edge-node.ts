import { join } from 'node:path';
import { startHttpServer, type RunningHttpServer } from '../api/server';
import type { MetricSource } from '../api/metrics';
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
  logger: Logger;
  metricSources?: readonly MetricSource[];
}

export interface RunningEdgeNode {
  runtime: EdgeRuntime;
  http: RunningHttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Starts a whole edge node: store, pollers and the HTTP server. */
export async function startEdgeNode(options: EdgeNodeOptions): Promise<RunningEdgeNode> {
  const runtime = new EdgeRuntime({ config: options.config, databasePath: join(options.dataDir, 'edge.db'), logger: options.logger });
  await runtime.start();
  let http: RunningHttpServer;
  try {
    http = await startHttpServer(runtime, options.logger, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      allowRemote: options.allowRemote ?? false,
      metricSources: [mqttMetricFamilies, ...(options.metricSources ?? [])],
    });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  options.logger.info({ url: http.url, site: options.config.site.id, devices: options.config.devices.length }, 'edge node started');
  return {
    runtime,
    http,
    url: http.url,
    stop: async () => {
      await http.close();
      await runtime.stop();
      options.logger.info('edge node stopped');
    },
  };
}
