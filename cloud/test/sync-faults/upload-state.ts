import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MAX_UPLOADS_IN_FLIGHT, uploadAckSchema, uploadBatchSchema, UPLOAD_PATH, type UploadAck, type UploadBatch } from '@simtestlab/sync';
import { expect } from 'vitest';
import type { CloudFixture } from '../support/cloud-fixture';
import { asOwner } from '../support/site-roles';
import { EDGE_NODE_DIR } from './edge-process';
import { isPost, responseBody, type ProxiedRequest } from './fault-proxy';

/*
 * What the upload fault tests compare: the rollup rows and events of an edge database against the
 * hub's telemetry_rollups and edge_events, and the upload requests a fault proxy saw.
 */

const run = promisify(execFile);
const FILL_CHILD = join(EDGE_NODE_DIR, 'test/upload/fixtures/fill-history-child.ts');

/** Time zone of the paired test site, as in `pairEdge`. */
export const SITE_TIME_ZONE = 'Europe/Paris';

/**
 * A rollup row keyed `resolution point bucketStart`, with the other wire fields in order:
 * `[bucketEnd, count, sum, min, max, last, lastTs, delta, estimated, revision]`.
 */
export type RollupRows = Record<string, (number | null)[]>;

/** What an edge database holds for uploads. */
export interface EdgeUploadState {
  rollups: RollupRows;
  outbox: { rollups: number; events: number; eventIds: string[] };
  auditIds: number[];
  /** Device status changes as `ts device status`. */
  deviceEvents: string[];
}

/** One stored edge event of the hub; times are epoch ms. */
export interface HubEvent {
  id: string;
  kind: string;
  at: number;
  payload: Record<string, unknown>;
  receivedAt: number;
}

export interface HubUploadState {
  rollups: RollupRows;
  /** `received_at` of each rollup row, by the same key. */
  rollupReceivedAt: Record<string, number>;
  events: HubEvent[];
}

/** Settings of the site file that make a backlog of a few thousand rows travel in many small batches. */
export const SMALL_BATCHES = { batchRollupRows: 400, batchEvents: 15, maxRowsPerSecond: 0, idleIntervalMs: 500 };

/** Writes the site file of a paired data folder, with no devices and the given upload settings. */
export function writeSiteFile(dataDir: string, upload: Record<string, number> = SMALL_BATCHES): void {
  const lines = [
    'site:',
    '  id: fault-site',
    '  name: Fault site',
    `  timeZone: ${SITE_TIME_ZONE}`,
    'devices: []',
    'cloud:',
    '  upload:',
    ...Object.entries(upload).map(([name, value]) => `    ${name}: ${value}`),
  ];
  writeFileSync(join(dataDir, 'site.yaml'), `${lines.join('\n')}\n`);
}

/**
 * Writes `hours` of simulated site history ending an hour ago into the edge database, through the
 * edge's own writer and outbox, while no edge process runs on the folder. Returns what it queued.
 */
export async function fillEdgeHistory(dataDir: string, hours: number, meters = 3): Promise<{ queuedRollups: number; queuedEvents: number }> {
  const hourMs = 3_600_000;
  const toTs = Math.floor(Date.now() / hourMs) * hourMs - hourMs;
  const options = { fromTs: toTs - hours * hourMs, toTs, meters, pollIntervalMs: 10_000, timeZone: SITE_TIME_ZONE };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', FILL_CHILD, join(dataDir, 'edge.db'), JSON.stringify(options)], {
    cwd: EDGE_NODE_DIR,
    timeout: 120_000,
  });
  return JSON.parse(stdout) as { queuedRollups: number; queuedEvents: number };
}

const READ_EDGE_SCRIPT = `
  import Database from 'better-sqlite3';
  const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
  const rollups = {};
  for (const tier of ['1m', '15m', '1h', '1d']) {
    const rows = db.prepare(\`SELECT p.device_key || '.' || p.key AS point, r.* FROM rollup_\${tier} r JOIN points p ON p.id = r.point_id\`).all();
    for (const r of rows) {
      rollups[\`\${tier} \${r.point} \${r.bucket_start}\`] = [r.bucket_end, r.count, r.sum, r.min, r.max, r.last, r.last_ts, r.delta, r.estimated ? 1 : 0, r.revision];
    }
  }
  const state = {
    rollups,
    outbox: {
      rollups: db.prepare('SELECT count(*) AS n FROM upload_rollups').get().n,
      events: db.prepare('SELECT count(*) AS n FROM upload_events').get().n,
      eventIds: db.prepare('SELECT id FROM upload_events ORDER BY seq').all().map((row) => row.id),
    },
    auditIds: db.prepare('SELECT id FROM audit_log ORDER BY id').all().map((row) => row.id),
    deviceEvents: db.prepare('SELECT ts, device_key, status FROM device_events ORDER BY id').all().map((row) => \`\${row.ts} \${row.device_key} \${row.status}\`),
  };
  process.stdout.write(JSON.stringify(state));`;

/** Reads the rollups, outbox, audit log and device events of an edge database through a child node. */
export async function readEdgeUploads(dataDir: string): Promise<EdgeUploadState> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', READ_EDGE_SCRIPT, join(dataDir, 'edge.db')], {
    cwd: EDGE_NODE_DIR,
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout) as EdgeUploadState;
}

/** Polls the edge database until its outbox is empty, for at most `timeoutMs`; returns the last state read. */
export async function waitForEmptyOutbox(dataDir: string, timeoutMs = 90_000): Promise<EdgeUploadState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readEdgeUploads(dataDir);
    if ((state.outbox.rollups === 0 && state.outbox.events === 0) || Date.now() > deadline) return state;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

const msOf = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8`;

/** Reads the hub's rollups and events of a site as the owner role. */
export async function readHubUploads(fixture: CloudFixture, siteId: string): Promise<HubUploadState> {
  return asOwner(fixture, async (tx) => {
    const rollupRows = await tx.unsafe<Record<string, number | string | boolean | null>[]>(
      `SELECT point, resolution, ${msOf('bucket_start')} AS bucket_start, ${msOf('bucket_end')} AS bucket_end, count, sum, min, max, last,
              ${msOf('last_ts')} AS last_ts, delta, estimated, revision, ${msOf('received_at')} AS received_at
       FROM telemetry_point_rollups WHERE site_id = $1`,
      [siteId],
    );
    const rollups: RollupRows = {};
    const rollupReceivedAt: Record<string, number> = {};
    for (const row of rollupRows) {
      const key = `${row.resolution} ${row.point} ${row.bucket_start}`;
      rollups[key] = [row.bucket_end, row.count, row.sum, row.min, row.max, row.last, row.last_ts, row.delta, row.estimated ? 1 : 0, row.revision] as (number | null)[];
      rollupReceivedAt[key] = row.received_at as number;
    }
    const events = await tx.unsafe<HubEvent[]>(
      `SELECT id::text, kind, ${msOf('at')} AS at, payload, ${msOf('received_at')} AS "receivedAt" FROM edge_events WHERE site_id = $1 ORDER BY id`,
      [siteId],
    );
    return { rollups, rollupReceivedAt, events: [...events] };
  });
}

/** Keys of the rollup rows a batch carries, in the format of `RollupRows`, with their revisions. */
export function batchRollups(batch: UploadBatch): RollupRows {
  const rows: RollupRows = {};
  for (const series of batch.rollups) {
    for (const [bucketStart, ...rest] of series.rows) rows[`${series.resolution} ${series.point} ${bucketStart}`] = rest;
  }
  return rows;
}

/** Parses the upload batch a proxied request carried; throws when its body is incomplete. */
export function uploadedBatch(request: ProxiedRequest): UploadBatch {
  return uploadBatchSchema.parse(JSON.parse(request.body.subarray(request.headBytes).toString('utf8')));
}

/** Parses the acknowledgement of a proxied upload that got a 200 response; null for any other outcome. */
export function uploadAck(request: ProxiedRequest): UploadAck | null {
  if (request.status !== 200 || request.dropped) return null;
  const body = responseBody(request.response);
  return body === null ? null : uploadAckSchema.parse(JSON.parse(body.toString('utf8')));
}

/** Sums the acknowledgements that reached the edge through the proxy among `requests`. */
export function ackTotals(requests: readonly ProxiedRequest[]): Pick<UploadAck, 'eventsStored' | 'eventsDuplicate' | 'rollupsStored' | 'rollupsIgnored'> {
  const totals = { eventsStored: 0, eventsDuplicate: 0, rollupsStored: 0, rollupsIgnored: 0 };
  for (const ack of uploadRequests(requests).map(uploadAck)) {
    if (ack === null) continue;
    totals.eventsStored += ack.eventsStored;
    totals.eventsDuplicate += ack.eventsDuplicate;
    totals.rollupsStored += ack.rollupsStored;
    totals.rollupsIgnored += ack.rollupsIgnored;
  }
  return totals;
}

/** Lists the items of an uploaded batch as `event <id>` and `rollup <key> <row as JSON>`, events first. */
export function uploadedItems(request: ProxiedRequest): string[] {
  const batch = uploadedBatch(request);
  const rows = Object.entries(batchRollups(batch)).map(([key, row]) => `rollup ${key} ${JSON.stringify(row)}`);
  return [...batch.events.map((event) => `event ${event.id}`), ...rows];
}

/**
 * Counts the items that the hub received again after it had committed them: for each item, the uploads
 * among `requests` that got a 200 response (whether or not it reached the edge), less one. Since the
 * hub commits a batch before it responds, this is what its acknowledgements must count as duplicates
 * (`eventsDuplicate`) and ignored rows (`rollupsIgnored`), provided no row changed its revision.
 * `items` lists each repeated item once.
 */
export function repeatedItems(requests: readonly ProxiedRequest[]): { events: number; rollups: number; items: string[] } {
  const committed = new Map<string, number>();
  for (const request of uploadRequests(requests)) {
    if (request.status !== 200) continue;
    for (const item of uploadedItems(request)) committed.set(item, (committed.get(item) ?? 0) + 1);
  }
  const repeated = { events: 0, rollups: 0, items: [] as string[] };
  for (const [item, count] of committed) {
    if (count < 2) continue;
    repeated.items.push(item);
    if (item.startsWith('event ')) repeated.events += count - 1;
    else repeated.rollups += count - 1;
  }
  return repeated;
}

/**
 * Lists the items of the uploads that may have been in flight together with one of `failed`: the
 * `MAX_UPLOADS_IN_FLIGHT - 1` uploads that started next after it. The edge drops the outcome of such
 * a batch, even an acknowledgement, and sends its items again, so the hub may receive them twice. An
 * upload the edge sent before the failed one is older, and its acknowledgement counts.
 */
export function itemsSentAlongside(requests: readonly ProxiedRequest[], failed: readonly ProxiedRequest[]): Set<string> {
  const uploads = uploadRequests(requests);
  const items = new Set<string>();
  for (const request of failed) {
    const index = uploads.indexOf(request);
    for (const next of uploads.slice(index + 1, index + MAX_UPLOADS_IN_FLIGHT)) {
      if (next.status === 200) for (const item of uploadedItems(next)) items.add(item);
    }
  }
  return items;
}

/** Upload requests among `requests`, oldest first. */
export function uploadRequests(requests: readonly ProxiedRequest[]): ProxiedRequest[] {
  return requests.filter((request) => isPost(request, UPLOAD_PATH));
}

/**
 * Checks that nothing was lost and nothing applied twice. The outbox is empty, and the hub's rollup
 * rows equal the edge's row for row, values and revisions. Event ids are unique on the hub, and the
 * stored events match the edge's audit log and device status history one to one. `diagnostics` goes
 * into the message of a failed outbox check.
 */
export function expectCompleteUpload(edge: EdgeUploadState, hub: HubUploadState, diagnostics = ''): void {
  expect({ rollups: edge.outbox.rollups, events: edge.outbox.events }, `edge outbox after the drain. ${diagnostics}`).toEqual({ rollups: 0, events: 0 });

  const edgeKeys = Object.keys(edge.rollups).sort();
  const hubKeys = Object.keys(hub.rollups).sort();
  expect(edgeKeys.length, 'edge rollup rows').toBeGreaterThan(0);
  expect(hubKeys.filter((key) => !(key in edge.rollups)), 'hub rollup rows the edge does not have').toEqual([]);
  expect(edgeKeys.filter((key) => !(key in hub.rollups)), 'edge rollup rows missing on the hub').toEqual([]);
  const differing = edgeKeys.filter((key) => JSON.stringify(edge.rollups[key]) !== JSON.stringify(hub.rollups[key]));
  expect(
    differing.slice(0, 5).map((key) => ({ key, edge: edge.rollups[key], hub: hub.rollups[key] })),
    `${differing.length} rollup rows differ`,
  ).toEqual([]);
  expect(edgeKeys.some((key) => (edge.rollups[key]![9] as number) > 1), 'some rows have a revision above 1').toBe(true);

  const hubIds = hub.events.map((event) => event.id);
  expect(new Set(hubIds).size, 'distinct event ids on the hub').toBe(hubIds.length);
  const auditIds = hub.events.filter((event) => event.kind === 'audit').map((event) => event.payload.auditId as number);
  expect(auditIds.sort((a, b) => a - b), 'audit entries on the hub against the edge audit log').toEqual(edge.auditIds);
  const statusChanges = hub.events
    .filter((event) => event.kind === 'device_status')
    .map((event) => `${event.at} ${String(event.payload.device)} ${String(event.payload.status)}`);
  expect(statusChanges.sort(), 'device status events on the hub against the edge history').toEqual([...edge.deviceEvents].sort());
}

/** Checks that the hub stores exactly the events the edge queued, each once. */
export function expectEventsOnce(hub: HubUploadState, queuedEventIds: readonly string[]): void {
  expect(queuedEventIds.length, 'events the edge queued').toBeGreaterThan(0);
  expect(hub.events.map((event) => event.id).sort(), 'event ids on the hub against those the edge queued').toEqual([...queuedEventIds].sort());
}
