import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Metafile } from 'esbuild';

const LICENSE_FILE = /^(?:licen[cs]e|copying)(?:[.-].*)?$/i;

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** Text of its license file, or null when the package has none. */
  text: string | null;
}

/** Finds the folder of the package that contains `file`: the nearest one above it with a named package.json. */
function packageRootOf(file: string): string | null {
  let dir = dirname(file);
  while (dir.includes(`${sep}node_modules${sep}`)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && typeof (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'string') return dir;
    dir = dirname(dir);
  }
  return null;
}

function readPackage(root: string): BundledPackage {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown };
  const licenseFile = readdirSync(root).find((file) => LICENSE_FILE.test(file));
  return {
    name: manifest.name,
    version: manifest.version,
    license: typeof manifest.license === 'string' ? manifest.license : 'see the package',
    text: licenseFile === undefined ? null : readFileSync(join(root, licenseFile), 'utf8').trim(),
  };
}

/**
 * Writes the name, version, license and license text of every npm package the bundle contains, because
 * most of their licenses (MIT, ISC, BSD, Apache-2.0) require the notice to travel with copies. The
 * packages copied into node_modules keep their own license files.
 */
export function writeThirdPartyLicenses(metafile: Metafile, packageDir: string, outFile: string): number {
  const roots = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const root = packageRootOf(resolve(packageDir, input));
    if (root !== null) roots.add(root);
  }
  const packages = [...roots].map(readPackage).sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const sections = packages.map((bundled) => [`${bundled.name}@${bundled.version} (${bundled.license})`, '', bundled.text ?? '(the package has no license file)'].join('\n'));
  writeFileSync(outFile, `Packages bundled into edge-node.mjs and its worker threads, with their licenses.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`);
  return packages.length;
}
