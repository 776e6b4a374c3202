/**
 * Finds the edge disk image for the image test, and builds it with build-image.sh when it is
 * missing or older than the edge .deb it would contain.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(IMAGE_DIR, '../../..');
const DIST_DIR = join(REPO_DIR, 'dist/edge');
const DEB_PATTERN = /^simtestlab-edge_.+_amd64\.deb$/;

/** Returns the newest dist/edge/simtestlab-edge_*_amd64.deb, or throws naming the build command. */
export function findEdgeDeb(): string {
  const debs = existsSync(DIST_DIR)
    ? readdirSync(DIST_DIR)
        .filter((name) => DEB_PATTERN.test(name))
        .map((name) => join(DIST_DIR, name))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    : [];
  const newest = debs[0];
  if (!newest) {
    throw new Error(`no simtestlab-edge_*_amd64.deb in ${DIST_DIR}: run 'pnpm build:edge' first`);
  }
  return newest;
}

/** Returns the image path build-image.sh writes for DEB (upstream version, no epoch or revision). */
export function imagePathFor(deb: string): string {
  const version = execFileSync('dpkg-deb', ['--field', deb, 'Version'], { encoding: 'utf8' })
    .trim()
    .replace(/^\d+:/, '')
    .replace(/-[^-]+$/, '');
  return join(DIST_DIR, `simtestlab-edge-${version}-amd64.img`);
}

/**
 * Returns the image to boot: SIMTESTLAB_EDGE_IMAGE if set (used as is), else the image of the
 * newest .deb, built first when missing or older than the .deb.
 */
export async function ensureEdgeImage(log: (line: string) => void): Promise<string> {
  const given = process.env.SIMTESTLAB_EDGE_IMAGE;
  if (given) {
    if (!existsSync(given)) throw new Error(`SIMTESTLAB_EDGE_IMAGE=${given} does not exist`);
    return given;
  }

  const deb = findEdgeDeb();
  const image = imagePathFor(deb);
  if (existsSync(image) && statSync(image).mtimeMs >= statSync(deb).mtimeMs) return image;

  log(`building ${image} from ${deb} (several minutes)`);
  await runBuild(deb);
  if (!existsSync(image)) throw new Error(`build-image.sh finished but ${image} does not exist`);
  return image;
}

function runBuild(deb: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(IMAGE_DIR, 'build-image.sh'), '--deb', deb], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`build-image.sh failed (exit ${code ?? signal}): see its output above`));
    });
  });
}
