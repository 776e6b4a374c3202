import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { InstallLayout } from '../../src/update/install-layout';
import { PENDING_UPDATE_FILE, writePendingUpdate, type PendingUpdate } from '../../src/update/pending-update';
import { rollBack, type UpdateContext } from '../../src/update/update-settle';

let workDir: string;

afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** Creates an install root with release `version` unpacked, and an update context whose commands do nothing. */
function setUp(): { layout: InstallLayout; context: UpdateContext } {
  workDir = mkdtempSync(join(tmpdir(), 'update-settle-'));
  const layout = new InstallLayout(join(workDir, 'opt'));
  const context: UpdateContext = {
    layout,
    dataDir: join(workDir, 'data'),
    stateDir: join(workDir, 'state'),
    restartCommand: 'true',
    stopCommand: 'true',
    healthUrl: 'http://127.0.0.1:9/api/health',
    health: { timeoutMs: 1_000, healthyPolls: 1, windowMs: 0 },
    logger: createLogger({ name: 'update-settle-test', level: 'silent' }),
  };
  mkdirSync(context.dataDir);
  return { layout, context };
}

function addRelease(layout: InstallLayout, version: string): string {
  const folder = layout.releaseDir(version);
  mkdirSync(join(folder, 'bin'), { recursive: true });
  writeFileSync(join(folder, 'bin', 'simtestlab-edge'), '#!/bin/sh\n');
  return folder;
}

function pendingOf(previous: string | null, next: string): PendingUpdate {
  return { previous, next, from: '1.0.0', to: '1.1.0', channel: 'stable', schemaVersion: 1, keyId: null, startedAt: new Date().toISOString() };
}

describe('update rollback', () => {
  it('keeps current when the previous release is gone', async () => {
    const { layout, context } = setUp();
    const next = addRelease(layout, '1.1.0');
    layout.swapCurrent(next);
    const pending = pendingOf(layout.releaseDir('1.0.0'), next);
    writePendingUpdate(context.stateDir, pending);

    await expect(rollBack(pending, context, { kind: 'release-failed', reason: 'release 1.1.0 failed' })).rejects.toThrow(
      `the previous release ${layout.releaseDir('1.0.0')} is missing, so 1.1.0 stays active`,
    );
    expect(readlinkSync(layout.currentLink)).toBe(next);
    expect(existsSync(next)).toBe(true);
    expect(existsSync(join(context.stateDir, PENDING_UPDATE_FILE))).toBe(false);
  });

  it('swaps back and deletes the failed release', async () => {
    const { layout, context } = setUp();
    const previous = addRelease(layout, '1.0.0');
    const next = addRelease(layout, '1.1.0');
    layout.swapCurrent(next);

    await expect(rollBack(pendingOf(previous, next), context, { kind: 'release-failed', reason: 'release 1.1.0 failed' })).rejects.toThrow('rolled back to 1.0.0; deleted 1.1.0');
    expect(readlinkSync(layout.currentLink)).toBe(previous);
    expect(existsSync(next)).toBe(false);
  });

  it('resolves a relative install root', () => {
    const layout = new InstallLayout(relative(process.cwd(), join(tmpdir(), 'relative-root')));
    expect(layout.root).toBe(join(tmpdir(), 'relative-root'));
    workDir = mkdtempSync(join(tmpdir(), 'update-settle-'));
  });
});
