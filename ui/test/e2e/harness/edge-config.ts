import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EDGE_CONFIG_LOADER, EDGE_NODE_DIR } from './paths';

/*
 * Site files read with the edge node's own code, in a child `node` in the edge-node folder, because the
 * UI package depends neither on its YAML parser nor on its template loader.
 */

const run = promisify(execFile);

async function runInEdgeNode(script: string, args: string[], description: string): Promise<unknown> {
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: EDGE_NODE_DIR, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    throw new Error(`${description} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
}

/** Parses a YAML site file as it is written, without resolving templates or environment variables. */
export async function readSiteDocument(path: string): Promise<unknown> {
  const script = `
    import { readFileSync } from 'node:fs';
    import { parse } from 'yaml';
    process.stdout.write(JSON.stringify(parse(readFileSync(process.argv[1], 'utf8'))));`;
  return runInEdgeNode(script, [path], `reading the site file ${path}`);
}

/**
 * Loads a site file as `edge-node start` does and returns its devices in the shared device model, with
 * template points expanded, which is the form the hub's device routes take.
 */
export async function resolveSiteDevices(path: string): Promise<Record<string, unknown>[]> {
  const script = `
    import { register } from 'tsx/esm/api';
    register();
    const { loadSiteConfig } = await import(process.argv[1]);
    process.stdout.write(JSON.stringify(loadSiteConfig(process.argv[2]).devices));`;
  const devices = await runInEdgeNode(script, [EDGE_CONFIG_LOADER, path], `resolving the devices of ${path}`);
  if (!Array.isArray(devices)) throw new Error(`resolving the devices of ${path} returned ${JSON.stringify(devices).slice(0, 300)}, expected an array`);
  return devices as Record<string, unknown>[];
}
