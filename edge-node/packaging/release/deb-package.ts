import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesEndingIn } from './release-folder';

/** Install locations of the package, fixed by the install layout that the .deb, tarball, image and updater share. */
const INSTALL_ROOT = '/opt/simtestlab-edge';
const CONFIG_DIR = '/etc/simtestlab-edge';
/** Debian 12 still ships units under /lib, which merged /usr makes the same as /usr/lib. */
const UNIT_DIR = '/lib/systemd/system';

/** Maps a Node.js CPU architecture to the Debian one. */
export function debianArch(nodeArch: string): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[nodeArch];
  if (arch === undefined) throw new Error(`no Debian architecture for the Node.js architecture "${nodeArch}"; build on an x64 or arm64 machine`);
  return arch;
}

/**
 * Turns a semantic version into a Debian one. A pre-release (`1.2.0-rc.1`) gets `~` (`1.2.0~rc.1`),
 * which Debian sorts before `1.2.0` as semver does, and a hyphen would start a Debian revision.
 */
export function debianVersion(version: string): string {
  return version.replace('-', '~');
}

/** Sums the sizes of the files below `dir` in KiB, for the `Installed-Size` field. */
function installedSizeKiB(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return Math.ceil(bytes / 1024);
}

/** Returns the units that have an `[Install]` section, the ones the package enables. */
function enabledUnits(systemdDir: string, units: string[]): string[] {
  return units.filter((unit) => /^\[Install\]/m.test(readFileSync(join(systemdDir, unit), 'utf8')));
}

/** Copies a maintainer script, filling in its `@NAME@` placeholders. */
function writeMaintainerScript(from: string, to: string, values: Record<string, string>): void {
  let text = readFileSync(from, 'utf8');
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`@${name}@`, value);
  const missing = text.match(/@[A-Z_]+@/);
  if (missing !== null) throw new Error(`${from}: placeholder ${missing[0]} has no value`);
  writeFileSync(to, text);
  chmodSync(to, 0o755);
}

export interface DebOptions {
  /** The assembled release folder. */
  releaseDir: string;
  version: string;
  nodeArch: string;
  /** `edge-node/packaging`. */
  packagingDir: string;
  /** An empty folder to lay out the package in. */
  stagingDir: string;
  outFile: string;
  /** gzip at level 1 in place of xz, for test builds. */
  fastCompression: boolean;
}

/**
 * Builds the .deb with `dpkg-deb --build --root-owner-group`. It installs the release into
 * /opt/simtestlab-edge/releases/<version>/, the units into /lib/systemd/system, and the environment file
 * and release keys into /etc/simtestlab-edge as conffiles. The maintainer scripts in packaging/deb create
 * the user and the symlinks and enable the units.
 */
export function buildDeb(options: DebOptions): void {
  const { stagingDir, version } = options;
  const releaseShare = join(options.releaseDir, 'share');
  const systemdDir = join(releaseShare, 'systemd');
  const units = readdirSync(systemdDir).sort();

  cpSync(options.releaseDir, join(stagingDir, INSTALL_ROOT, 'releases', version), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(stagingDir, UNIT_DIR), { recursive: true });
  for (const unit of units) copyFileSync(join(systemdDir, unit), join(stagingDir, UNIT_DIR, unit));

  const conffiles = [`${CONFIG_DIR}/edge.env`];
  mkdirSync(join(stagingDir, CONFIG_DIR, 'release-keys'), { recursive: true });
  copyFileSync(join(releaseShare, 'edge.env'), join(stagingDir, CONFIG_DIR, 'edge.env'));
  for (const key of filesEndingIn(join(releaseShare, 'release-keys'), '.pub')) {
    copyFileSync(join(releaseShare, 'release-keys', key), join(stagingDir, CONFIG_DIR, 'release-keys', key));
    conffiles.push(`${CONFIG_DIR}/release-keys/${key}`);
  }

  const debian = join(stagingDir, 'DEBIAN');
  mkdirSync(debian);
  // The build machine's glibc is the oldest one the copied runtime and addons are known to run on.
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  const control = [
    'Package: simtestlab-edge',
    `Version: ${debianVersion(version)}`,
    `Architecture: ${debianArch(options.nodeArch)}`,
    'Maintainer: SimTestLab <edge@simtestlab.invalid>',
    `Installed-Size: ${installedSizeKiB(stagingDir)}`,
    `Depends: adduser, ${glibc === undefined ? 'libc6' : `libc6 (>= ${glibc})`}, libstdc++6, systemd`,
    'Section: misc',
    'Priority: optional',
    'Description: SimTestLab EMS edge node',
    ' Polls the energy devices of one site (Modbus TCP/RTU, BACnet/IP, MQTT), keeps their history in',
    ' SQLite, serves the web app and the API, and uploads to the cloud hub when paired. Ships its own',
    ' Node.js runtime; runs as the systemd service simtestlab-edge.',
  ];
  writeFileSync(join(debian, 'control'), `${control.join('\n')}\n`);
  writeFileSync(join(debian, 'conffiles'), `${conffiles.join('\n')}\n`);

  const placeholders = { VERSION: version, UNITS: units.join(' '), ENABLE_UNITS: enabledUnits(systemdDir, units).join(' ') };
  for (const script of ['postinst', 'prerm', 'postrm']) {
    writeMaintainerScript(join(options.packagingDir, 'deb', script), join(debian, script), placeholders);
  }

  const compression = options.fastCompression ? ['-Zgzip', '-z1'] : ['-Zxz'];
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', ...compression, stagingDir, options.outFile], { stdio: ['ignore', 'ignore', 'pipe'] });
}
