import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds a release with the real build script (gzip -1, so the build takes seconds), then checks the
// tarball by running it and the .deb with dpkg-deb. The web app must be built: CI runs the ui package
// before this one, and a local run builds it here when ui/dist is missing.

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = join(packageDir, '..');
const uiDist = join(repoRoot, 'ui', 'dist');
const tsx = join(packageDir, 'node_modules', '.bin', 'tsx');
const buildScript = join(packageDir, 'packaging', 'build-release.ts');

/** A pre-release version, so the test also checks the Debian form `0.9.1~test.1`. */
const VERSION = '0.9.1-test.1';
const DEB_VERSION = '0.9.1~test.1';
const arch = process.arch;
const debArch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[arch]!;
const folderName = `simtestlab-edge-${VERSION}-linux-${arch}`;

let workDir: string;
let outDir: string;
let releaseDir: string;
let debFile: string;

function buildRelease(args: string[]) {
  return run(tsx, [buildScript, ...args], { cwd: packageDir, encoding: 'utf8' });
}

beforeAll(async () => {
  if (!existsSync(join(uiDist, 'index.html'))) await run('pnpm', ['--filter', '@simtestlab/ui', 'build'], { cwd: repoRoot });
  workDir = mkdtempSync(join(tmpdir(), 'edge-release-'));
  outDir = join(workDir, 'out');
  await buildRelease(['--out', outDir, '--version', VERSION, '--fast']);
  mkdirSync(join(workDir, 'unpacked'));
  await run('tar', ['-xzf', join(outDir, `${folderName}.tar.gz`), '-C', join(workDir, 'unpacked')]);
  releaseDir = join(workDir, 'unpacked', folderName);
  debFile = join(outDir, `simtestlab-edge_${DEB_VERSION}_${debArch}.deb`);
}, 180_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe('build-release script', () => {
  it('writes the tarball and the .deb', () => {
    expect(readdirSync(outDir).sort()).toEqual([`${folderName}.tar.gz`, `simtestlab-edge_${DEB_VERSION}_${debArch}.deb`].sort());
  });

  it('rejects a missing web app with the build command', async () => {
    const failure = await buildRelease(['--out', join(workDir, 'no-ui'), '--ui-dist', join(workDir, 'missing-ui'), '--fast']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('pnpm --filter @simtestlab/ui build');
    expect((failure as { stderr: string }).stderr).toContain(join(workDir, 'missing-ui', 'index.html'));
  });

  it('rejects an invalid version', async () => {
    const failure = await buildRelease(['--out', join(workDir, 'bad-version'), '--version', 'v1', '--fast']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('--version: invalid version "v1"');
  });
});

describe('release tarball', () => {
  it('has one top-level folder with the release layout', () => {
    expect(readdirSync(join(workDir, 'unpacked'))).toEqual([folderName]);
    for (const path of ['bin/simtestlab-edge', 'runtime/node', 'lib/edge-node.mjs', 'lib/commit-worker-thread.mjs', 'ui/index.html', 'templates/eastron-sdm630.yaml', 'templates/sunspec/model_103.json', 'templates/bacnet/flexlab-ahu.yaml', 'install.sh', 'share/systemd/simtestlab-edge.service', 'share/release-keys/development.pub', 'share/edge.env']) {
      expect(existsSync(join(releaseDir, path)), path).toBe(true);
    }
    for (const executable of ['bin/simtestlab-edge', 'runtime/node', 'install.sh']) {
      expect(statSync(join(releaseDir, executable)).mode & 0o111, executable).not.toBe(0);
    }
  });

  it('lists the licenses of the bundled packages', () => {
    const licenses = readFileSync(join(releaseDir, 'lib', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(licenses).toMatch(/^hono@\d+\.\d+\.\d+ \(MIT\)$/m);
    expect(licenses).toMatch(/^zod@\d+\.\d+\.\d+ \(MIT\)$/m);
  });

  it('leaves out the simulators data and demo sites', () => {
    expect(existsSync(join(releaseDir, 'datasets'))).toBe(false);
    expect(existsSync(join(releaseDir, 'sites'))).toBe(false);
    expect(existsSync(join(releaseDir, 'src'))).toBe(false);
  });

  it('ships every systemd unit of packaging/systemd', () => {
    expect(readdirSync(join(releaseDir, 'share', 'systemd')).sort()).toEqual(readdirSync(join(packageDir, 'packaging', 'systemd')).sort());
  });

  it('keeps only native packages and their run-time dependencies', () => {
    const packages = readdirSync(join(releaseDir, 'node_modules')).flatMap((name) => (name.startsWith('@') ? readdirSync(join(releaseDir, 'node_modules', name)).map((inner) => `${name}/${inner}`) : [name]));
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'bindings', '@serialport/bindings-cpp', 'node-gyp-build', '@node-rs/argon2']));
    for (const bundled of ['hono', 'zod', 'pino', 'tsx', 'prebuild-install', 'node-addon-api']) expect(packages, bundled).not.toContain(bundled);
    expect(existsSync(join(releaseDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(releaseDir, 'node_modules', 'better-sqlite3', 'deps'))).toBe(false);
  });

  it('records the version and the build', () => {
    expect(readFileSync(join(releaseDir, 'VERSION'), 'utf8')).toBe(`${VERSION}\n`);
    const info = JSON.parse(readFileSync(join(releaseDir, 'release.json'), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ version: VERSION, arch, nodeVersion: process.version });
    expect(Number.isNaN(Date.parse(info.builtAt as string))).toBe(false);
    expect(info.gitCommit === null || /^[0-9a-f]{40}$/.test(info.gitCommit as string)).toBe(true);
  });

  it('passes sh -n for the launcher and install.sh', async () => {
    await run('sh', ['-n', join(releaseDir, 'bin', 'simtestlab-edge')]);
    await run('sh', ['-n', join(releaseDir, 'install.sh')]);
  });
});

describe('release launcher', () => {
  /** Links like /usr/bin/simtestlab-edge -> /opt/simtestlab-edge/current/bin/simtestlab-edge, current -> the release. */
  function linkLikeInstall(): string {
    const installRoot = join(workDir, 'opt');
    mkdirSync(join(installRoot, 'bin'), { recursive: true });
    if (!existsSync(join(installRoot, 'current'))) {
      symlinkSync(releaseDir, join(installRoot, 'current'));
      symlinkSync(join(installRoot, 'current', 'bin', 'simtestlab-edge'), join(installRoot, 'bin', 'simtestlab-edge'));
    }
    return join(installRoot, 'bin', 'simtestlab-edge');
  }

  it('prints the CLI help through symlinks', async () => {
    const { stdout } = await run(linkLikeInstall(), ['--help'], { encoding: 'utf8' });
    expect(stdout).toContain('Usage: edge-node <command>');
    expect(stdout).toContain('start');
  });

  it('names the repository for the omitted simulate command', async () => {
    const failure = await run(linkLikeInstall(), ['simulate', '--help'], { encoding: 'utf8' }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('"simulate" command is not part of the edge release');
  });
});

/** A node started from the unpacked release, with the base URL it printed. */
interface ReleasedNode {
  child: ChildProcess;
  baseUrl: string;
}

/** Starts `bin/simtestlab-edge start` with `args` and waits for the first stdout line that `urlPattern` matches. */
async function startReleasedNode(args: string[], urlPattern: RegExp): Promise<ReleasedNode> {
  const child = spawn(join(releaseDir, 'bin', 'simtestlab-edge'), ['start', ...args, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = urlPattern.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the released edge node exited with code ${code} before printing its URL: ${stderr.join('')}`)));
  });
  return { child, baseUrl };
}

async function stopReleasedNode(node: ReleasedNode | undefined): Promise<void> {
  if (node === undefined || node.child.exitCode !== null) return;
  const exited = once(node.child, 'exit');
  node.child.kill('SIGTERM');
  await exited;
}

describe('release edge node', () => {
  let node: ReleasedNode | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    const siteFile = join(workDir, 'site.yaml');
    // One device from a template, so the node reads templates/; its port is closed, so it stays offline.
    writeFileSync(
      siteFile,
      [
        'site: { id: release-test, name: Release test, timeZone: UTC }',
        'storage: { commitIntervalMs: 200 }',
        'devices:',
        '  - key: meter',
        '    name: Sub-meter',
        '    driver: modbus-tcp',
        '    template: eastron-sdm630',
        '    connection: { host: 127.0.0.1, port: 1, unitId: 1, timeoutMs: 500 }',
        '    pollIntervalMs: 5000',
        '',
      ].join('\n'),
    );
    node = await startReleasedNode(['--config', siteFile, '--data', join(workDir, 'data')], /listening on (http:\/\/\S+)/);
    baseUrl = node.baseUrl;
  }, 30_000);

  afterAll(() => stopReleasedNode(node));

  it('reports the release version in /api/health', async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    const body = (await response.json()) as { version: string; mode: string; site: string };
    expect(response.status).toBe(200);
    expect(body.version).toBe(VERSION);
    expect(body.mode).toBe('running');
    expect(body.site).toBe('release-test');
  });

  it('commits through the bundled commit worker', async () => {
    let lastCommitAgeMs: number | null = null;
    for (let attempt = 0; attempt < 50 && lastCommitAgeMs === null; attempt += 1) {
      const body = (await (await fetch(`${baseUrl}/api/health`)).json()) as { store: { lastCommitAgeMs: number | null; commitFailures: number } };
      lastCommitAgeMs = body.store.lastCommitAgeMs;
      expect(body.store.commitFailures).toBe(0);
      if (lastCommitAgeMs === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(lastCommitAgeMs).not.toBeNull();
  });

  it('serves the web app', async () => {
    const response = await fetch(`${baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toBe(readFileSync(join(releaseDir, 'ui', 'index.html'), 'utf8'));
  });
});

describe('release edge node without a site file', () => {
  let node: ReleasedNode | undefined;

  beforeAll(async () => {
    node = await startReleasedNode(['--config', join(workDir, 'missing-site.yaml'), '--data', join(workDir, 'setup-data')], /(http:\/\/\S+)\/setup\b/);
  }, 30_000);

  afterAll(() => stopReleasedNode(node));

  it('reports setup mode and the version', async () => {
    const response = await fetch(`${node!.baseUrl}/api/health`);
    const body = (await response.json()) as { version: string; mode: string };
    expect(response.status).toBe(200);
    expect(body.mode).toBe('setup');
    expect(body.version).toBe(VERSION);
  });

  it('serves the setup page of the web app', async () => {
    const response = await fetch(`${node!.baseUrl}/setup`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync(join(releaseDir, 'ui', 'index.html'), 'utf8'));
  });
});

describe('release .deb', () => {
  let controlDir: string;

  beforeAll(() => {
    controlDir = join(workDir, 'deb-control');
    execFileSync('dpkg-deb', ['--control', debFile, controlDir]);
  });

  function field(name: string): string {
    return execFileSync('dpkg-deb', ['--field', debFile, name], { encoding: 'utf8' }).trim();
  }

  it('has the control fields', () => {
    expect(field('Package')).toBe('simtestlab-edge');
    expect(field('Version')).toBe(DEB_VERSION);
    expect(field('Architecture')).toBe(debArch);
    expect(field('Maintainer')).not.toBe('');
    expect(field('Description')).toContain('SimTestLab EMS edge node');
    const depends = field('Depends').split(',').map((entry) => entry.trim().split(' ')[0]);
    expect(depends.sort()).toEqual(['adduser', 'libc6', 'libstdc++6', 'systemd']);
  });

  it('installs the release, the units and the config files', () => {
    const listing = execFileSync('dpkg-deb', ['--contents', debFile], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const entries = new Map(
      listing
        .trim()
        .split('\n')
        .map((line) => {
          const parts = line.split(/\s+/);
          return [parts[5]!.replace(/^\./, ''), { mode: parts[0]!, owner: parts[1]! }] as const;
        }),
    );
    const release = `/opt/simtestlab-edge/releases/${VERSION}`;
    expect(entries.get(`${release}/bin/simtestlab-edge`)).toEqual({ mode: '-rwxr-xr-x', owner: 'root/root' });
    expect(entries.get(`${release}/runtime/node`)).toEqual({ mode: '-rwxr-xr-x', owner: 'root/root' });
    for (const path of [`${release}/lib/edge-node.mjs`, `${release}/ui/index.html`, `${release}/VERSION`, '/etc/simtestlab-edge/edge.env', '/etc/simtestlab-edge/release-keys/development.pub']) {
      expect(entries.has(path), path).toBe(true);
    }
    for (const unit of readdirSync(join(packageDir, 'packaging', 'systemd'))) expect(entries.has(`/lib/systemd/system/${unit}`), unit).toBe(true);
    expect(entries.has(`${release}/install.sh`)).toBe(false);
    for (const path of entries.keys()) expect(path.startsWith('/usr/bin') || path.includes('/current'), path).toBe(false);
  });

  it('marks the environment file and the release key as conffiles', () => {
    expect(readFileSync(join(controlDir, 'conffiles'), 'utf8').trim().split('\n')).toEqual(['/etc/simtestlab-edge/edge.env', '/etc/simtestlab-edge/release-keys/development.pub']);
  });

  it.each(['postinst', 'prerm', 'postrm'])('ships %s executable and filled in', async (script) => {
    const path = join(controlDir, script);
    expect(statSync(path).mode & 0o755).toBe(0o755);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/@[A-Z_]+@/);
    await run('sh', ['-n', path]);
  });

  it('enables the units and switches current in postinst', () => {
    const postinst = readFileSync(join(controlDir, 'postinst'), 'utf8');
    expect(postinst).toContain(`VERSION='${VERSION}'`);
    const enabled = /ENABLE_UNITS='([^']*)'/.exec(postinst)?.[1]?.split(' ');
    const systemdDir = join(packageDir, 'packaging', 'systemd');
    const installable = readdirSync(systemdDir).filter((unit) => readFileSync(join(systemdDir, unit), 'utf8').includes('\n[Install]'));
    expect(enabled?.sort()).toEqual(installable.sort());
    expect(enabled).toContain('simtestlab-edge.service');
    expect(postinst).toContain('mv -T "$ROOT/current.new" "$ROOT/current"');
  });
});
