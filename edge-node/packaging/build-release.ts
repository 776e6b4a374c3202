/**
 * Builds the self-contained edge release for this machine's CPU architecture: a tarball
 * `simtestlab-edge-<version>-linux-<arch>.tar.gz` and a Debian package
 * `simtestlab-edge_<version>_<debian arch>.deb`. See docs/edge-package.md for the layout.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDeb, debianArch, debianVersion } from './release/deb-package';
import { assembleRelease, filesEndingIn, releaseInfo, requireBuiltUi, type SourcePaths } from './release/release-folder';
import { buildTarball } from './release/tarball';

const help = `Usage: pnpm --filter @simtestlab/edge-node build:release [options]

Builds the edge release from the sources and the built web app (ui/dist) for the CPU architecture
of this machine, with this machine's Node.js runtime and native addons.

Options:
  --version X.Y.Z   release version (default: the version in edge-node/package.json)
  --out DIR         folder for the tarball and the .deb (default: dist/edge at the repository root)
  --ui-dist DIR     the built web app (default: ui/dist at the repository root)
  --fast            gzip at level 1 for both files, for test builds (default: gzip -6 for the
                    tarball, xz for the .deb)
  -h, --help        show this help
`;

/** Semantic version without build metadata: `1.2.3` or `1.2.3-rc.1`. */
const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?$/;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(packageDir, '..');

/** The files a build wrote, with sizes in bytes. */
interface BuildResult {
  version: string;
  tarball: string;
  deb: string;
  tarballBytes: number;
  debBytes: number;
  /** Size of the unpacked release folder. */
  releaseBytes: number;
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the tarball and the .deb into `outDir` and returns their paths and sizes. */
async function buildRelease(options: { version: string; outDir: string; uiDist: string; fastCompression: boolean }): Promise<BuildResult> {
  const { version, outDir } = options;
  if (!VERSION_PATTERN.test(version)) throw new Error(`--version: invalid version "${version}", expected a semantic version such as 1.2.3 or 1.2.3-rc.1`);
  const paths: SourcePaths = {
    repoRoot,
    packageDir,
    uiDist: options.uiDist,
    systemdDir: join(packageDir, 'packaging', 'systemd'),
    releaseKeysDir: join(packageDir, 'packaging', 'release-keys'),
  };
  requireBuiltUi(paths.uiDist);
  if (filesEndingIn(paths.releaseKeysDir, '.pub').length === 0) {
    throw new Error(`no release key: ${paths.releaseKeysDir} has no *.pub file, and the updater accepts only releases signed with a shipped key`);
  }

  const info = releaseInfo(repoRoot, version);
  const folderName = `simtestlab-edge-${version}-linux-${info.arch}`;
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(outDir, '.build-'));
  try {
    const releaseDir = join(workDir, folderName);
    await assembleRelease(paths, releaseDir, info);
    const releaseBytes = folderBytes(releaseDir);

    // Both files are written in the work folder and then renamed into outDir, so a reader of outDir
    // (the disk image build) never reads a half-written file.
    const debName = `simtestlab-edge_${debianVersion(version)}_${debianArch(info.arch)}.deb`;
    const tarballName = `${folderName}.tar.gz`;
    buildDeb({
      releaseDir,
      version,
      nodeArch: info.arch,
      packagingDir: join(packageDir, 'packaging'),
      stagingDir: join(workDir, 'deb'),
      outFile: join(workDir, debName),
      fastCompression: options.fastCompression,
    });

    // The tarball is the same folder plus install.sh, its installer for machines without dpkg.
    copyFileSync(join(packageDir, 'packaging', 'release', 'install.sh'), join(releaseDir, 'install.sh'));
    chmodSync(join(releaseDir, 'install.sh'), 0o755);
    buildTarball({ folder: releaseDir, outFile: join(workDir, tarballName), fastCompression: options.fastCompression });

    const deb = join(outDir, debName);
    const tarball = join(outDir, tarballName);
    renameSync(join(workDir, debName), deb);
    renameSync(join(workDir, tarballName), tarball);

    return { version, tarball, deb, tarballBytes: statSync(tarball).size, debBytes: statSync(deb).size, releaseBytes };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string' },
      out: { type: 'string' },
      'ui-dist': { type: 'string' },
      fast: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const startedAt = performance.now();
  const result = await buildRelease({
    version: values.version ?? packageVersion(),
    outDir: resolve(values.out ?? join(repoRoot, 'dist', 'edge')),
    uiDist: resolve(values['ui-dist'] ?? join(repoRoot, 'ui', 'dist')),
    fastCompression: values.fast,
  });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(
    [
      `built simtestlab-edge ${result.version} in ${seconds} s (release folder ${megabytes(result.releaseBytes)})`,
      `  ${result.tarball} (${megabytes(result.tarballBytes)})`,
      `  ${result.deb} (${megabytes(result.debBytes)})`,
      '',
    ].join('\n'),
  );
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`build-release: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
