import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAuditEntry } from '../../src/audit/audit-log';
import { storeCredential } from '../../src/cloud/credential';
import { uploadSchema } from '../../src/config/schema';
import { createSilentLogger } from '../../src/logger';
import { startEdgeNode, type RunningEdgeNode } from '../../src/runtime/start-edge-node';
import { testSiteConfig } from '../api/api-fixture';
import { createTestCredential, TestHub } from './support/test-hub';

let hub: TestHub;
let dataDir: string;
let node: RunningEdgeNode | undefined;

beforeEach(async () => {
  hub = await TestHub.start();
  dataDir = mkdtempSync(join(tmpdir(), 'edge-upload-node-'));
});

afterEach(async () => {
  await node?.stop();
  node = undefined;
  await hub.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startEdgeNode with a credential', () => {
  it('uploads an audit entry written while it runs', async () => {
    storeCredential(dataDir, await createTestCredential(hub));
    const config = { ...testSiteConfig(), cloud: { upload: uploadSchema.parse({ idleIntervalMs: 100 }) } };
    node = await startEdgeNode({ config, dataDir, port: 0, logger: createSilentLogger() });

    writeAuditEntry(node.runtime.db, { actorType: 'system', actorId: null, action: 'test.uploaded' });
    await waitFor(() => [...hub.events.values()].some((event) => event.payload.action === 'test.uploaded'), 'the audit event on the hub');

    await waitFor(() => node!.sync.status().backlog.events === 0, 'an empty event backlog');
    expect(node.sync.status().siteId).toBe('site-test');
    expect(node.link.lastAckAt).not.toBeNull();
  });

  it('queues nothing without a credential', async () => {
    node = await startEdgeNode({ config: testSiteConfig(), dataDir, port: 0, logger: createSilentLogger() });

    writeAuditEntry(node.runtime.db, { actorType: 'system', actorId: null, action: 'test.local' });

    expect(node.cloud).toBeNull();
    expect(node.sync.status()).toMatchObject({ siteId: null, backlog: { rollups: 0, events: 0 } });
  });
});
