import { parseArgs } from 'node:util';
import { loadSiteConfig } from '../config/load';
import { createLogger } from '../logger';
import { startEdgeNode, type RunningEdgeNode } from '../runtime/start-edge-node';

const help = `Usage: edge-node start --config FILE [options]

Options:
  --config FILE     site file (YAML or JSON) with the site and its devices (required)
  --data DIR        folder for the database (default: ./data)
  --port N          HTTP port for the API and the /ws live stream (default: 8080)
  --host ADDRESS    address to listen on (default: 127.0.0.1)
  --allow-remote    answer clients other than loopback; every route except /api/health and
                    /api/auth/login requires login (see edge-node create-local-admin --help)
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
  const config = loadSiteConfig(values.config);
  const logger = createLogger();
  const node: RunningEdgeNode = await startEdgeNode({
    config,
    dataDir: values.data,
    host: values.host,
    port: parsePort(values.port, 8080),
    allowRemote: values['allow-remote'],
    logger,
  });
  process.stdout.write(`edge node for site "${config.site.name}" listening on ${node.url}\n`);
  stopOnSignals(node.stop);
}
