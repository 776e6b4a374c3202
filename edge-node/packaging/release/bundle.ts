import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { PackageImport } from './native-packages';
import { writeThirdPartyLicenses } from './third-party-licenses';

/**
 * Packages that stay outside the bundle and are copied into the release's node_modules: each loads a
 * native addon (`.node` file) through a path lookup that esbuild cannot follow.
 */
export const nativePackages = ['better-sqlite3', '@serialport/bindings-cpp', '@node-rs/argon2'] as const;

/** Matches `startTsWorker(new URL('./some-thread.ts', import.meta.url)` and captures the relative path. */
const WORKER_CALL = /startTsWorker\(\s*new URL\(\s*'([^']+\.ts)'\s*,\s*import\.meta\.url\s*\)/g;

/**
 * CommonJS dependencies call `require` and read `__dirname`, which an ES module lacks, so the bundle
 * defines them from its own URL.
 */
const ESM_BANNER = [
  "import { createRequire as __releaseCreateRequire } from 'node:module';",
  "import { fileURLToPath as __releaseFileURLToPath } from 'node:url';",
  'const require = __releaseCreateRequire(import.meta.url);',
  'const __filename = __releaseFileURLToPath(import.meta.url);',
  "const __dirname = __releaseFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

/**
 * CLI commands the release leaves out, by source file, with the function each file exports. `demo`
 * spawns simulators from the repository and reads its sites/ folder, and `simulate` replays the
 * recorded data in datasets/: a production node needs neither, so the release ships no datasets.
 */
const OMITTED_COMMANDS = [
  { file: 'src/cli/demo.ts', command: 'demo', exportName: 'runDemoCommand' },
  { file: 'src/simulate/cli.ts', command: 'simulate', exportName: 'runSimulateCommand' },
] as const;

/** Replaces each omitted command's module with one whose command fails with a message that names the way to run it. */
function omitCommands(packageDir: string): Plugin {
  const byPath = new Map(OMITTED_COMMANDS.map((omitted) => [resolve(packageDir, omitted.file), omitted]));
  return {
    name: 'omit-commands',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.ts$/ }, (args) => {
        const omitted = byPath.get(args.path);
        if (omitted === undefined) return undefined;
        const message = `the "${omitted.command}" command is not part of the edge release; run it from the repository with "pnpm edge-node ${omitted.command}"`;
        return { contents: `export async function ${omitted.exportName}() { throw new Error(${JSON.stringify(message)}); }`, loader: 'ts' };
      });
    },
  };
}

export interface BundleResult {
  /** The native packages the bundle imports, each with the folder it is resolved from. */
  nativeImports: PackageImport[];
}

/** Returns the package name of an import specifier: `@scope/name` or `name`, without a subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Lists the native packages that bundled files import, each with the folder of one importing file, so
 * a package that only a dependency needs (serialport's bindings) resolves from that dependency.
 */
function nativeImportsOf(metafile: Metafile, packageDir: string): PackageImport[] {
  const imports = new Map<string, PackageImport>();
  for (const [input, info] of Object.entries(metafile.inputs)) {
    for (const imported of info.imports) {
      const name = packageName(imported.path);
      if (!imported.external || !(nativePackages as readonly string[]).includes(name) || imports.has(name)) continue;
      imports.set(name, { name, fromDir: dirname(resolve(packageDir, input)) });
    }
  }
  return [...imports.values()];
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Finds the worker thread modules that `startTsWorker` starts, so each becomes its own entry. In the
 * release, `startTsWorker` runs `lib/<name>.mjs`, so two workers must not share a file name.
 */
function findWorkerEntries(sourceDir: string): string[] {
  const entries = new Map<string, string>();
  for (const file of listSourceFiles(sourceDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(WORKER_CALL)) {
      const entry = resolve(dirname(file), match[1]!);
      const name = basename(entry);
      const other = entries.get(name);
      if (other !== undefined && other !== entry) {
        throw new Error(`worker modules ${relative(sourceDir, other)} and ${relative(sourceDir, entry)} share the file name ${name}; rename one, because the release puts both in lib/`);
      }
      entries.set(name, entry);
    }
  }
  return [...entries.values()];
}

/**
 * Bundles the edge CLI (`src/cli/main.ts` as `edge-node.mjs`) and its worker threads into `outDir`
 * as ES modules for Node.js 20. `version` becomes `SIMTESTLAB_RELEASE_VERSION`, which switches the
 * code to the release layout (see src/runtime/install-paths.ts).
 */
export async function bundleEdgeCli(options: { packageDir: string; outDir: string; version: string }): Promise<BundleResult> {
  const sourceDir = join(options.packageDir, 'src');
  const entryPoints = [
    { in: join(sourceDir, 'cli', 'main.ts'), out: 'edge-node' },
    ...findWorkerEntries(sourceDir).map((entry) => ({ in: entry, out: basename(entry, '.ts') })),
  ];
  const result = await build({
    absWorkingDir: options.packageDir,
    entryPoints,
    outdir: options.outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: [...nativePackages],
    define: { SIMTESTLAB_RELEASE_VERSION: JSON.stringify(options.version) },
    banner: { js: ESM_BANNER },
    legalComments: 'none',
    minifySyntax: true,
    metafile: true,
    plugins: [omitCommands(options.packageDir)],
    logLevel: 'warning',
  });
  writeThirdPartyLicenses(result.metafile, options.packageDir, join(options.outDir, 'THIRD-PARTY-LICENSES.txt'));
  return { nativeImports: nativeImportsOf(result.metafile, options.packageDir) };
}
