import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uiBuildReason } from '../src/ui-build';

/* A fake repository layout with ui/src, ui/dist and sync/src, whose modification times the tests set. */

let root: string;

function write(path: string, modifiedS: number): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, modifiedS, modifiedS);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'demo-ui-build-'));
  write('ui/src/pages/home.tsx', 1000);
  write('ui/index.html', 1000);
  write('sync/src/index.ts', 1000);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('web app build check', () => {
  it('builds when ui/dist is missing', () => {
    expect(uiBuildReason(root)).toBe('ui/dist is missing');
  });

  it('skips a build newer than the sources', () => {
    write('ui/dist/index.html', 2000);
    expect(uiBuildReason(root)).toBeNull();
  });

  it('builds after a UI source changed', () => {
    write('ui/dist/index.html', 2000);
    write('ui/src/pages/home.tsx', 3000);
    expect(uiBuildReason(root)).toBe(`${join(root, 'ui', 'src')} changed after the last build`);
  });

  it('builds after a shared source changed', () => {
    write('ui/dist/index.html', 2000);
    write('sync/src/index.ts', 3000);
    expect(uiBuildReason(root)).toBe(`${join(root, 'sync/src')} changed after the last build`);
  });
});
