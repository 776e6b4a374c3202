import { randomUUID } from 'node:crypto';
import { UPLOAD_PATH, type RollupRow, type UploadBatch } from '@simtestlab/sync';
import type { CloudApp } from '../../src/api/app';
import { call, type CloudFixture } from '../support/cloud-fixture';
import { createEdgeKeys, pair, signAssertion, type EdgeKeys } from '../edge-pairing/edge-keys';

/** A paired edge node as the upload tests drive it. */
export interface PairedEdge {
  id: string;
  keys: EdgeKeys;
}

/** Creates an edge node at `siteId` with the manager's token and pairs it with a fresh key pair. */
export async function pairEdge(app: CloudApp, managerToken: string, siteId: string): Promise<PairedEdge> {
  const created = await call(app, managerToken, 'POST', `/api/sites/${siteId}/edge-nodes`, { name: 'Gateway' });
  if (created.status !== 201) throw new Error(`creating an edge node failed with ${created.status}: ${JSON.stringify(created.body)}`);
  const keys = await createEdgeKeys();
  const paired = await pair(app, { code: created.body.pairingCode, publicKey: keys.publicJwk, softwareVersion: '0.1.0', hostname: 'edge-01' });
  if (paired.status !== 200) throw new Error(`pairing failed with ${paired.status}: ${JSON.stringify(paired.body)}`);
  return { id: created.body.edgeNode.id, keys };
}

/** Sends a raw upload body signed by the edge and returns the status, parsed body and headers. */
export async function uploadRaw(fixture: CloudFixture, edge: PairedEdge, body: string): Promise<{ status: number; body: any; headers: Headers }> {
  const assertion = await signAssertion(edge.keys, edge.id);
  const response = await fixture.app.request(UPLOAD_PATH, {
    method: 'POST',
    headers: { Authorization: `Bearer ${assertion}`, 'Content-Type': 'application/json' },
    body,
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Sends a batch signed by the edge. */
export function upload(fixture: CloudFixture, edge: PairedEdge, batch: unknown) {
  return uploadRaw(fixture, edge, JSON.stringify(batch));
}

/** Builds a batch with the given parts and an empty backlog, sent now. */
export function batchOf(parts: Partial<UploadBatch> = {}): UploadBatch {
  return {
    batchId: randomUUID(),
    sentAt: Date.now(),
    backlog: { rollups: 0, events: 0, oldestUnsentAt: null },
    events: [],
    rollups: [],
    ...parts,
  };
}

/** Builds a 1-minute rollup row starting at `startMs` whose values all equal `value`. */
export function minuteRow(startMs: number, value: number, revision = 1): RollupRow {
  return [startMs, startMs + 60_000, 12, value * 12, value, value, value, startMs + 55_000, null, 0, revision];
}
