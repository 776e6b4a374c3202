import { fileURLToPath } from 'node:url';

/**
 * Where the edge node finds the files it ships with. It runs in two layouts: from the sources, where
 * this file is `edge-node/src/runtime/install-paths.ts`, and from the release bundle, where every
 * module shares the URL of `<release>/lib/edge-node.mjs`. The release build defines
 * `SIMTESTLAB_RELEASE_VERSION` (esbuild `define`), which distinguishes the two.
 */
declare const SIMTESTLAB_RELEASE_VERSION: string | undefined;

/** The release's version in the bundle, undefined when running from the sources. */
export const releaseVersion: string | undefined = typeof SIMTESTLAB_RELEASE_VERSION === 'string' ? SIMTESTLAB_RELEASE_VERSION : undefined;

/** The `edge-node/` package folder in the sources, the release folder in the bundle. */
const assetsRootUrl = new URL(releaseVersion === undefined ? '../../' : '../', import.meta.url);

/** Returns the path of a file or folder (with a trailing `/`) below the assets root. */
export function assetPath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, assetsRootUrl));
}

/** Folder of the built web app: `ui/dist/` in the repository, `<release>/ui/` in the release. */
export const uiDistDir = assetPath(releaseVersion === undefined ? '../ui/dist/' : 'ui/');
