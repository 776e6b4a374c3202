import { join } from 'node:path';
import { EDGE_HUB_PROTOCOL_VERSION } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { LinkStatus } from '../../src/cloud/link-status';
import { createSilentLogger } from '../../src/logger';
import { DiskBudget } from '../../src/store/disk-budget';
import { Outbox } from '../../src/upload/outbox';
import { SyncMonitor } from '../../src/upload/sync-monitor';
import { UploadStats } from '../../src/upload/upload-stats';
import { createApiFixture, feedHalfHour, pastHourStart, type ApiFixture } from './api-fixture';

// The message the cloud link stores when the hub responds with 426, as startCloudLink builds it.
const REJECTION = 'the cloud hub at http://127.0.0.1:8090 rejected this edge node (HTTP 426): edge protocol 2 is not supported: this hub speaks 1; update the hub';

let fixture: ApiFixture;
let link: LinkStatus;

beforeEach(async () => {
  fixture = await createApiFixture();
  link = new LinkStatus();
  // Committed samples, so the store is healthy and only the protocol can make the node degraded.
  await feedHalfHour(fixture, pastHourStart());
});

afterEach(async () => {
  await fixture.close();
});

async function health(): Promise<{ status: number; body: any }> {
  const diskBudget = new DiskBudget(join(fixture.dataDir, 'edge.db'), 1024, createSilentLogger());
  const sync = new SyncMonitor({ outbox: new Outbox(fixture.runtime.db), link, stats: new UploadStats(), diskBudget });
  const app = createApp(fixture.runtime, createSilentLogger(), { auth: fixture.auth, sync });
  const response = await app.request('/api/health');
  return { status: response.status, body: await response.json() };
}

describe('GET /api/health protocol section', () => {
  it('is absent while versions match', async () => {
    const { status, body } = await health();

    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.protocol).toBeUndefined();
  });

  it('reports an incompatible hub as degraded', async () => {
    link.protocolError = REJECTION;

    const { status, body } = await health();

    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.protocol).toEqual({ compatible: false, edgeProtocol: EDGE_HUB_PROTOCOL_VERSION, supportedHubProtocols: String(EDGE_HUB_PROTOCOL_VERSION), reason: REJECTION });
    expect(body.sync.protocolError).toBe(REJECTION);
  });
});
