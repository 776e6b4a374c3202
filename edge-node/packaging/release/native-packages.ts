import { cpSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/**
 * Dependencies that only run when a package is installed or compiled (downloading prebuilt binaries,
 * C++ headers), never when the edge node runs.
 */
const INSTALL_TIME_ONLY = new Set(['prebuild-install', 'node-addon-api']);

interface PackageManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** A package the bundle imports, with the folder of the importing file. */
export interface PackageImport {
  name: string;
  fromDir: string;
}

/** A package copied into the release's node_modules. */
export interface CopiedPackage {
  name: string;
  version: string;
  /** The folder it was copied from, with symlinks resolved. */
  source: string;
}

/**
 * Finds the folder of package `name` as Node.js resolves it from a file in `fromDir`: in `node_modules`
 * of that folder or of a folder above it. In a pnpm install the dependencies of a package sit next to
 * its real folder. Returns null when no folder has it.
 */
function findPackageDir(name: string, fromDir: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (basename(dir) !== 'node_modules' && existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Decides which files of a package the release needs. A package with a `binding.gyp` keeps its
 * compiled addons (`build/Release/*.node`) and the prebuilt ones for this platform, but not its C/C++
 * sources and build intermediates. No package keeps its own `node_modules`, because the release
 * installs every package at the top level.
 */
function releaseFileFilter(packageDir: string, platform: string): (path: string) => boolean {
  const native = existsSync(join(packageDir, 'binding.gyp'));
  return (path) => {
    const parts = relative(packageDir, path).split(sep);
    const [top, second] = parts;
    if (top === '' || top === undefined) return true;
    if (top === 'node_modules') return false;
    if (!native) return true;
    if (top === 'src' || top === 'deps' || top === 'binding.gyp') return false;
    if (top === 'build') return parts.length === 1 || (second === 'Release' && (parts.length === 2 || (parts.length === 3 && path.endsWith('.node'))));
    if (top === 'prebuilds') return parts.length === 1 || second!.startsWith(platform);
    return true;
  };
}

/**
 * Copies `packages` and their run-time dependencies from the workspace install into `toDir`
 * (the release's `node_modules`), flat. The addons come as they were built for the build machine, so
 * the release runs on its OS and CPU architecture. Fails when two packages need different copies of
 * one dependency, because a flat folder holds only one.
 */
export function copyNativePackages(options: { packages: readonly PackageImport[]; toDir: string }): CopiedPackage[] {
  const platform = `${process.platform}-${process.arch}`;
  const copied = new Map<string, CopiedPackage>();
  const queue = options.packages.map(({ name, fromDir }) => ({ name, fromDir, optional: false, requiredBy: 'the edge bundle' }));

  while (queue.length > 0) {
    const { name, fromDir, optional, requiredBy } = queue.shift()!;
    if (INSTALL_TIME_ONLY.has(name)) continue;
    const source = findPackageDir(name, fromDir);
    if (source === null) {
      // Optional dependencies are mostly the prebuilt addons of other platforms.
      if (optional) continue;
      throw new Error(`package "${name}" (needed by ${requiredBy}) is not installed below ${fromDir}; run "pnpm install" in the repository`);
    }
    const seen = copied.get(name);
    if (seen !== undefined) {
      if (seen.source !== source) throw new Error(`package "${name}" is required in two versions (${seen.source} and ${source}), but the flat node_modules of the release can contain only one; make the dependents agree on one version`);
      continue;
    }

    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as PackageManifest;
    copied.set(name, { name, version: manifest.version, source });
    cpSync(source, join(options.toDir, name), { recursive: true, dereference: true, filter: releaseFileFilter(source, platform) });

    for (const dependency of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dependency, fromDir: source, optional: false, requiredBy: name });
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) queue.push({ name: dependency, fromDir: source, optional: true, requiredBy: name });
  }
  return [...copied.values()];
}
