import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEdgeCli } from './bundle';
import { copyNativePackages, type CopiedPackage } from './native-packages';

/** The release's description of itself, `release.json`. */
export interface ReleaseInfo {
  version: string;
  /** CPU architecture in Node.js terms (`x64`, `arm64`). */
  arch: string;
  builtAt: string;
  /** The commit the release was built from, null outside a git checkout. */
  gitCommit: string | null;
  nodeVersion: string;
}

/** Paths the release build reads. */
export interface SourcePaths {
  repoRoot: string;
  /** The edge-node package folder. */
  packageDir: string;
  /** The built web app, `ui/dist`. */
  uiDist: string;
  /** `edge-node/packaging/systemd`: every file in it ships. */
  systemdDir: string;
  /** `edge-node/packaging/release-keys`: every `*.pub` in it ships. */
  releaseKeysDir: string;
}

function gitCommit(repoRoot: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // Not a git checkout (a source tarball) or no git installed: release.json then stores null.
    return null;
  }
}

/** Lists the files of a folder that end in `suffix`, sorted. */
export function filesEndingIn(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Fills `releaseDir` with one self-contained release: the launcher, this machine's Node.js runtime, the
 * bundled CLI, the web app, the device templates, the native packages, and under `share/` the files an
 * installer puts elsewhere (systemd units, release keys, the environment file).
 */
export async function assembleRelease(paths: SourcePaths, releaseDir: string, info: ReleaseInfo): Promise<{ packages: CopiedPackage[] }> {
  const releaseTools = join(paths.packageDir, 'packaging', 'release');
  mkdirSync(join(releaseDir, 'bin'), { recursive: true });
  copyFileSync(join(releaseTools, 'simtestlab-edge.sh'), join(releaseDir, 'bin', 'simtestlab-edge'));
  chmodSync(join(releaseDir, 'bin', 'simtestlab-edge'), 0o755);

  mkdirSync(join(releaseDir, 'runtime'));
  copyFileSync(process.execPath, join(releaseDir, 'runtime', 'node'));
  chmodSync(join(releaseDir, 'runtime', 'node'), 0o755);

  const bundle = await bundleEdgeCli({ packageDir: paths.packageDir, outDir: join(releaseDir, 'lib'), version: info.version });
  const packages = copyNativePackages({ packages: bundle.nativeImports, toDir: join(releaseDir, 'node_modules') });

  cpSync(paths.uiDist, join(releaseDir, 'ui'), { recursive: true });
  cpSync(join(paths.packageDir, 'templates'), join(releaseDir, 'templates'), { recursive: true });

  const share = join(releaseDir, 'share');
  cpSync(paths.systemdDir, join(share, 'systemd'), { recursive: true });
  mkdirSync(join(share, 'release-keys'), { recursive: true });
  for (const key of filesEndingIn(paths.releaseKeysDir, '.pub')) copyFileSync(join(paths.releaseKeysDir, key), join(share, 'release-keys', key));
  copyFileSync(join(releaseTools, 'edge.env'), join(share, 'edge.env'));

  writeFileSync(join(releaseDir, 'VERSION'), `${info.version}\n`);
  writeFileSync(join(releaseDir, 'release.json'), `${JSON.stringify(info, null, 2)}\n`);
  return { packages };
}

/** Builds the `release.json` content for a release built on this machine now. */
export function releaseInfo(repoRoot: string, version: string): ReleaseInfo {
  return { version, arch: process.arch, builtAt: new Date().toISOString(), gitCommit: gitCommit(repoRoot), nodeVersion: process.version };
}

/** Fails with the command to run when the web app has not been built. */
export function requireBuiltUi(uiDist: string): void {
  if (!existsSync(join(uiDist, 'index.html'))) {
    throw new Error(`the web app is not built: ${join(uiDist, 'index.html')} is missing; run "pnpm --filter @simtestlab/ui build" first ("pnpm build:edge" runs both)`);
  }
}
