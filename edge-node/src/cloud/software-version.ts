import { readFileSync } from 'node:fs';
import { assetPath, releaseVersion } from '../runtime/install-paths';

let cached: string | undefined;

/**
 * Returns the running software version, the one the edge reports to the hub and in `/api/health`:
 * the release's version in the release bundle, the version field of edge-node/package.json otherwise.
 */
export function edgeSoftwareVersion(): string {
  cached ??= releaseVersion ?? (JSON.parse(readFileSync(assetPath('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
