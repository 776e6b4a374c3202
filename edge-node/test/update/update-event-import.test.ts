import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log';
import { createSilentLogger } from '../../src/logger';
import { startEdgeNode, type RunningEdgeNode } from '../../src/runtime/start-edge-node';
import { appendUpdateEvent, UPDATE_EVENTS_FILE } from '../../src/update/update-events';
import { testSiteConfig } from '../api/api-fixture';

let dataDir: string;
let stateDir: string;
let node: RunningEdgeNode | undefined;

afterEach(async () => {
  await node?.stop();
  node = undefined;
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

/** Returns the updater entries of the running node's audit log as "action target". */
function updaterEntries(running: RunningEdgeNode): string[] {
  return listAuditEntries(running.runtime.db, { limit: 100 })
    .filter((entry) => entry.actorId === 'updater')
    .map((entry) => `${entry.action} ${entry.targetId}`);
}

describe('updater events at start', { timeout: 30_000 }, () => {
  it('imports each event once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'update-import-data-'));
    stateDir = mkdtempSync(join(tmpdir(), 'update-import-state-'));
    appendUpdateEvent(stateDir, 'update.applied', '1.1.0', { from: '1.0.0' });
    appendFileSync(join(stateDir, UPDATE_EVENTS_FILE), 'not json\n');
    appendUpdateEvent(stateDir, 'update.rolled_back', '1.2.0', { from: '1.1.0', reason: 'unhealthy' });

    node = await startEdgeNode({ config: testSiteConfig(), dataDir, port: 0, logger: createSilentLogger(), updateStateDir: stateDir });
    expect(updaterEntries(node)).toEqual(['update.applied 1.1.0', 'update.rolled_back 1.2.0']);
    await node.stop();

    node = await startEdgeNode({ config: testSiteConfig(), dataDir, port: 0, logger: createSilentLogger(), updateStateDir: stateDir });
    expect(updaterEntries(node)).toEqual(['update.applied 1.1.0', 'update.rolled_back 1.2.0']);
  });
});
