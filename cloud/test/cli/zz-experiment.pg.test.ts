import { Agent, get, type IncomingMessage } from 'node:http';
import { UPLINK_PATH, UPLINK_PROTOCOL_HEADER, UPLINK_PROTOCOL_VERSION } from '@simtestlab/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHubProcess, type HubProcess } from '../live/live-support';
import { pairTestEdge, type TestEdge } from '../shapes/shape-harness';
import { createCloudFixture, Seed, type CloudFixture } from '../support/cloud-fixture';
import { waitForExit } from './start-hub';

let fixture: CloudFixture;
const edges: TestEdge[] = [];
let hub: HubProcess | undefined;
let stopped = false;
const agent = new Agent({ keepAlive: true });

beforeAll(async () => {
  fixture = await createCloudFixture('zz_exp');
  const seed = new Seed(fixture);
  const org = await seed.organization('X');
  for (let i = 0; i < 6; i++) edges.push(await pairTestEdge(fixture, await seed.site(org, `S${i}`)));
});
afterAll(async () => {
  stopped = true;
  agent.destroy();
  if (hub && hub.child.exitCode === null) hub.child.kill('SIGKILL');
  await fixture?.close();
});

function uplinkLoop(edge: TestEdge, port: number) {
  if (stopped) return;
  void edge.assertion().then((a) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}${UPLINK_PATH}`, { headers: { Authorization: `Bearer ${a}`, [UPLINK_PROTOCOL_HEADER]: String(UPLINK_PROTOCOL_VERSION) } });
    s.on('error', () => undefined);
    s.once('close', () => setTimeout(() => uplinkLoop(edge, port), 5));
  });
}
async function req(edge: TestEdge, port: number, q: string): Promise<IncomingMessage> {
  const a = await edge.assertion();
  return new Promise((res, rej) => get(`http://127.0.0.1:${port}/api/edge/shapes/site?${q}`, { agent, headers: { Authorization: `Bearer ${a}` } }, res).once('error', rej));
}
async function body(r: IncomingMessage) { r.resume(); await new Promise((x) => r.once('end', x)); }
async function pollLoop(edge: TestEdge, port: number) {
  while (!stopped) {
    try {
      const snap = await req(edge, port, 'offset=-1');
      const h = String(snap.headers['electric-handle']); const o = String(snap.headers['electric-offset']);
      await body(snap);
      const live = await req(edge, port, `offset=${o}&handle=${h}&live=true`);
      await body(live);
    } catch { await new Promise((r) => setTimeout(r, 5)); }
  }
}

describe('exp', () => {
  it('hammer', async () => {
    hub = await startHubProcess(fixture, { NODE_OPTIONS: '--import=/tmp/diag-cloud.mjs' });
    for (const e of edges) { uplinkLoop(e, hub.port); uplinkLoop(e, hub.port); void pollLoop(e, hub.port); void pollLoop(e, hub.port); }
    await new Promise((r) => setTimeout(r, 1500));
    hub.child.kill('SIGTERM');
    await hub.log.waitFor('cloud hub stopped');
    await new Promise((r) => setTimeout(r, 2000));
    if (hub.child.exitCode === null) hub.child.kill('SIGUSR2');
    const r = await Promise.race([waitForExit(hub.child), new Promise((r) => setTimeout(() => r('running'), 15000))]);
    if (r === 'running') { hub.child.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 1000)); }
    console.log('RESULT', r, hub.log.stderr());
    console.log(JSON.stringify(hub.log.lines.filter((l) => (l as any).level >= 40).slice(-3)));
    stopped = true;
  }, 120000);
});
