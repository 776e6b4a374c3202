import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runToEnd } from './managed-process';
import { UI_DIR } from './paths';

/*
 * Builds the UI into ui/dist once before the end-to-end files (vitest globalSetup), so the edge node
 * and the hub serve the current sources. Set E2E_SKIP_UI_BUILD=1 to test the dist folder as it is.
 */

/** Time `vite build` may take. */
const BUILD_TIMEOUT_MS = 300_000;

/** Runs `vite build` in the UI package; throws with vite's output when it fails. */
export async function buildUi(): Promise<void> {
  // vite exports no path to its CLI, so it is found next to its package.json.
  const viteBin = join(dirname(createRequire(`${UI_DIR}/package.json`).resolve('vite/package.json')), 'bin', 'vite.js');
  await runToEnd({ name: 'vite build', command: process.execPath, args: [viteBin, 'build'], cwd: UI_DIR }, BUILD_TIMEOUT_MS);
}

export default async function setup(): Promise<void> {
  if (process.env.E2E_SKIP_UI_BUILD === '1') return;
  await buildUi();
}
