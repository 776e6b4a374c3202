import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Returns the version field of edge-node/package.json, the version the edge reports to the hub. */
export function edgeSoftwareVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
