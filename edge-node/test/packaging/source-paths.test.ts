import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// In the release bundle every module has the URL of lib/edge-node.mjs, so a path built from a
// module's own URL points outside the release. Files the node ships with are found through
// src/runtime/install-paths.ts instead. This test lists the sources that still use their own URL.

const sourceDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** Sources allowed to use `import.meta.url`, each with the reason. */
const allowed = new Map([
  ['runtime/install-paths.ts', 'tells the sources and the bundle apart'],
  ['runtime/ts-worker.ts', 'finds tsx, which only runs from the sources'],
  ['cli/demo.ts', 'left out of the release'],
]);
/** `startTsWorker(new URL('./x.ts', import.meta.url))`: the release runs lib/x.mjs in its place. */
const WORKER_URL = /startTsWorker\(\s*new URL\(\s*'\.\/[^']+\.ts'\s*,\s*import\.meta\.url\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('edge sources', () => {
  it('read shipped files through install paths', () => {
    const offenders = sourceFiles(sourceDir)
      .map((file) => relative(sourceDir, file))
      // The simulate command is left out of the release, so its datasets stay in the repository.
      .filter((file) => !allowed.has(file) && !file.startsWith('simulate/'))
      .filter((file) => {
        const text = readFileSync(join(sourceDir, file), 'utf8').replace(WORKER_URL, '');
        return text.includes('import.meta.url') || /\b__dirname\b|\b__filename\b/.test(text);
      });
    expect(offenders, 'use assetPath() or uiDistDir from src/runtime/install-paths.ts').toEqual([]);
  });
});
