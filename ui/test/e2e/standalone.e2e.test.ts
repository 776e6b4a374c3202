import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToEdge, sendJson, startStack, type EdgeStack } from './harness';

/* The harness without a hub: one simulator and an edge node that was never paired. */

let stack: EdgeStack | undefined;

beforeAll(async () => {
  stack = await startStack({ hub: false, simulators: ['sdm630'] });
});

afterAll(async () => {
  await stack?.stop();
});

describe('standalone edge stack', () => {
  it('runs without a hub', async () => {
    const status = await stack!.edge.syncStatus();

    expect(stack!.hub).toBeUndefined();
    expect(status.siteId).toBeNull();
    expect(status.liveConnected).toBe(false);
  });

  it('polls the simulated meter', async () => {
    const token = await loginToEdge(stack!.edge.url, stack!.edge.localAdmin.username, stack!.edge.localAdmin.password);

    const devices = await sendJson(stack!.edge.url, 'GET', '/api/devices', { token });

    expect(devices.status).toBe(200);
    expect(JSON.stringify(devices.body)).toContain('house-submeter');
    expect(stack!.edge.siteFile.devices.map((device) => device.key)).toEqual(['house-submeter']);
  });
});
