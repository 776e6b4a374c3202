import type { SiteConfig } from '../config/schema';
import type { Logger } from '../logger';
import type { RunningEdgeNode } from '../runtime/start-edge-node';
import type { LanScanTuning } from './scan';
import { createSetupApp } from './setup-app';
import { type InterfaceLister, setupBanner, setupPageUrls, watchSetupPageUrls } from './setup-banner';
import { formatSetupCode } from './setup-code';
import { startSetupServer } from './setup-server';
import { SetupService } from './setup-service';

export interface SetupModeOptions {
  /** Site file to write; it does not exist yet. */
  configPath: string;
  dataDir: string;
  host: string;
  /** 0 picks a free port; the edge node later listens on the port actually bound. */
  port: number;
  allowRemote: boolean;
  logger: Logger;
  /** Starts the normal edge node once setup has written the site file, on the port setup used. */
  startNode: (config: SiteConfig, port: number) => Promise<RunningEdgeNode>;
  /** Writer of the setup banner; standard output by default, so systemd's journal and console get it. */
  print?: (text: string) => void;
  scanTuning?: Partial<LanScanTuning>;
  /** Lister of the network interfaces for the page URLs; os.networkInterfaces by default. */
  listInterfaces?: InterfaceLister;
}

export interface RunningSetupMode {
  url: string;
  port: number;
  /** The 8-digit setup code, without the dash. */
  setupCode: string;
  /** Settles with the edge node once setup finished and the node started; rejects when it failed to start. */
  node: Promise<RunningEdgeNode>;
  /** Stops the setup server, or the edge node when setup has finished. */
  stop(): Promise<void>;
}

/**
 * Runs first-boot setup. It prints the setup code and the page URLs on standard output and serves the
 * setup app. When the installer finishes, it stops the setup server and starts the edge node on the
 * same host and port in the same process.
 */
export async function startSetupMode(options: SetupModeOptions): Promise<RunningSetupMode> {
  const logger = options.logger.child({ component: 'setup' });
  let resolveNode!: (node: RunningEdgeNode) => void;
  let rejectNode!: (error: unknown) => void;
  const node = new Promise<RunningEdgeNode>((resolve, reject) => {
    resolveNode = resolve;
    rejectNode = reject;
  });
  // Handled by the caller through `node`; this keeps an unawaited rejection from ending the process.
  node.catch(() => undefined);
  let switching: Promise<void> | undefined;

  const service = new SetupService({
    dataDir: options.dataDir,
    configPath: options.configPath,
    logger,
    scanTuning: options.scanTuning,
    onFinished: (config) => {
      switching = switchToEdgeNode(config);
    },
  });
  let server;
  try {
    server = await startSetupServer(createSetupApp(service, logger), options);
  } catch (error) {
    service.close();
    throw error;
  }

  async function switchToEdgeNode(config: SiteConfig): Promise<void> {
    addressWatch.stop();
    const drained = server!.stopListening();
    try {
      service.close();
      resolveNode(await options.startNode(config, server!.port));
    } catch (error) {
      logger.error({ err: error }, 'the edge node failed to start after setup');
      rejectNode(error);
    }
    await drained;
  }

  const formattedCode = formatSetupCode(service.code);
  const print = options.print ?? ((text) => process.stdout.write(text));
  // The code goes to standard output only (the console and the journal), never into the structured log.
  const announce = (urls: readonly string[]) => {
    print(setupBanner(formattedCode, urls, options.configPath, options));
    if (urls.length === 0) {
      logger.warn({ configPath: options.configPath }, 'setup mode: the machine has no network address yet; the setup page URL is printed when it gets one');
    } else {
      logger.info({ urls, configPath: options.configPath, allowRemote: options.allowRemote }, 'setup mode: open the setup page and enter the setup code printed above');
    }
  };
  const urls = setupPageUrls(options.host, server.port, options.listInterfaces);
  announce(urls);
  // A late DHCP lease or a plugged-in cable changes the addresses: the banner shows the new ones.
  const addressWatch = watchSetupPageUrls({ host: options.host, port: server.port, initial: urls, listInterfaces: options.listInterfaces }, announce);

  return {
    url: server.url,
    port: server.port,
    setupCode: service.code,
    node,
    stop: async () => {
      addressWatch.stop();
      if (switching === undefined) {
        service.close();
        await server.close();
        logger.info('setup server stopped');
        return;
      }
      await switching;
      const running = await node.catch(() => undefined);
      await running?.stop();
    },
  };
}
