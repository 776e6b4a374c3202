import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSiteConfig } from '../config/load';
import { createLogger, type Logger } from '../logger';
import { startEdgeNode, type RunningEdgeNode } from '../runtime/start-edge-node';
import { removeSetupLeftovers } from '../setup/setup-leftovers';
import { startSetupMode } from '../setup/setup-mode';

const help = `Usage: edge-node start --config FILE [options]

Runs the edge node for the site file FILE. When FILE does not exist, the node starts in setup mode
instead: it prints a setup code of 8 digits and the URL of the setup page (http://HOST:PORT/setup),
keeps the code in DATA/setup-code until setup finishes, and serves only the setup page and
/api/setup/*. Finishing setup writes FILE and starts the edge node on the same port, without a restart;
when that node fails to start, the process exits with status 1 (systemd then restarts it).

After 5 wrong setup codes within 15 minutes the setup page locks for the rest of those 15 minutes.
The count is kept in memory only, so restarting the process clears the lock.

To run setup again (a new site, other devices), stop the service, delete FILE and start it again.
The local accounts and DATA/cloud-credential.json stay: delete the credential too to pair anew or to
choose a standalone site.

Options:
  --config FILE     site file (YAML or JSON) with the site and its devices (required; missing = setup mode)
  --data DIR        folder for the database, the setup code and the cloud credential (default: ./data)
  --port N          HTTP port for the API, the web app and the /ws live stream (default: 8080)
  --host ADDRESS    address to listen on (default: 127.0.0.1); with 0.0.0.0, setup mode prints a URL
                    for each IPv4 address of this machine. Other hosts also need --allow-remote
  --allow-remote    answer clients other than loopback; every route except /api/health and
                    /api/auth/login requires login (see edge-node create-local-admin --help), and in
                    setup mode the setup page needs the setup code
  -h, --help        show this help
`;

/** Parses a TCP port option, naming the option and the value when it is not one. */
export function parsePort(text: string | undefined, fallback: number, option = '--port'): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${option}: invalid port "${text}", expected 0-65535`);
  return port;
}

/** Stops the node on SIGINT or SIGTERM, once. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

export async function runStartCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      data: { type: 'string', default: './data' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (values.config === undefined) throw new Error(`--config is required\n\n${help}`);
  const logger = createLogger();
  const port = parsePort(values.port, 8080);
  const nodeOptions = { dataDir: values.data, host: values.host, allowRemote: values['allow-remote'], logger };
  if (!existsSync(values.config)) {
    await runSetupMode(values.config, port, nodeOptions);
    return;
  }
  const config = loadSiteConfig(values.config);
  removeSetupLeftovers(values.data, logger);
  const node: RunningEdgeNode = await startEdgeNode({ ...nodeOptions, config, port });
  process.stdout.write(`edge node for site "${config.site.name}" listening on ${node.url}\n`);
  stopOnSignals(node.stop);
}

/** Serves setup until it finishes, then the edge node on the same port; exits 1 when that node fails to start. */
async function runSetupMode(configPath: string, port: number, nodeOptions: { dataDir: string; host: string; allowRemote: boolean; logger: Logger }): Promise<void> {
  const setup = await startSetupMode({
    ...nodeOptions,
    configPath,
    port,
    startNode: (config, boundPort) => startEdgeNode({ ...nodeOptions, config, port: boundPort }),
  });
  stopOnSignals(setup.stop);
  setup.node.then(
    (node) => process.stdout.write(`setup finished: edge node for site "${node.runtime.config.site.name}" listening on ${node.url}\n`),
    (error: unknown) => {
      process.stderr.write(`setup finished and wrote ${configPath}, but the edge node failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
