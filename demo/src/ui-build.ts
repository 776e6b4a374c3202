import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Builds the web app before the demo starts when ui/dist is missing or older than its sources, so
 * `pnpm demo` needs no separate build step and skips the build when nothing changed.
 */

/** Files and folders of a UI package whose change calls for a new build, relative to the package. */
const UI_SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];
/** Sources of the shared package that the web app bundles, relative to the repository root. */
const SHARED_SOURCES = ['sync/src'];

/** Returns the latest modification time of a file or of any file below a folder, in epoch ms; 0 when missing. */
function latestChangeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latestMs = 0;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latestMs = Math.max(latestMs, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latestMs;
}

/**
 * Returns why the web app in `repoRoot/ui` needs a build, or null when `ui/dist/index.html` is newer
 * than every source file.
 */
export function uiBuildReason(repoRoot: string): string | null {
  const index = join(repoRoot, 'ui', 'dist', 'index.html');
  if (!existsSync(index)) return 'ui/dist is missing';
  const builtMs = statSync(index).mtimeMs;
  const sources = [...UI_SOURCES.map((path) => join(repoRoot, 'ui', path)), ...SHARED_SOURCES.map((path) => join(repoRoot, path))];
  const changed = sources.find((path) => latestChangeMs(path) > builtMs);
  return changed === undefined ? null : `${changed} changed after the last build`;
}

/**
 * Runs `pnpm --filter @simtestlab/ui build` with its output on this terminal. Returns null on
 * success, else the failure to report.
 */
export async function buildUi(repoRoot: string): Promise<string | null> {
  const child = spawn('pnpm', ['--filter', '@simtestlab/ui', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const failed = once(child, 'error').then(([error]) => `could not run pnpm to build the web app: ${(error as Error).message}`);
  const exited = once(child, 'exit').then(([code, signal]) => (code === 0 ? null : `building the web app failed (${signal ?? `exit code ${code}`}); its output is above`));
  return Promise.race([failed, exited]);
}
