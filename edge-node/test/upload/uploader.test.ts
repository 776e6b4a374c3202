import { EDGE_REVOKED_CODE } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAuditEntry } from '../../src/audit/audit-log';
import type { HubClient } from '../../src/cloud/hub-client';
import { LinkStatus } from '../../src/cloud/link-status';
import { uploadSchema, type UploadConfig } from '../../src/config/schema';
import { Uploader, type UploadStep } from '../../src/upload/uploader';
import { UploadStats } from '../../src/upload/upload-stats';
import { addSample, meterSample } from '../store/support/sample-stream';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { captureLogger, type LogLine } from '../sync/support/capture-logger';
import { createTestHubClient, TestHub } from './support/test-hub';
import { feedPowerMinutes, openUploadStore, queuedEvents, queuedRollups, type UploadTestStore } from './support/upload-store';

const MINUTE_MS = 60_000;
const START_TS = Date.parse('2026-03-02T10:00:00Z');
const NOW_TS = START_TS + 10 * MINUTE_MS;
const POWER = 'meter.power';

let dir: TempDir;
let store: UploadTestStore;
let hub: TestHub;
let client: HubClient;
let link: LinkStatus;
let stats: UploadStats;
let logLines: LogLine[];
let clock: { nowTs: number };
/** Uploaders a test created, stopped after it so no request of a batch in flight outlives the hub. */
let uploaders: Uploader[];

beforeEach(async () => {
  dir = makeTempDir('edge-upload-');
  store = openUploadStore(`${dir.path}/edge.db`);
  hub = await TestHub.start();
  client = await createTestHubClient(hub);
  link = new LinkStatus();
  stats = new UploadStats();
  clock = { nowTs: NOW_TS };
  uploaders = [];
});

afterEach(async () => {
  await Promise.all(uploaders.map((uploader) => uploader.stop()));
  await hub.close();
  store.close();
  dir.remove();
});

function createUploader(config: Partial<UploadConfig> = {}, options: { client?: Pick<HubClient, 'request'>; hub?: TestHub } = {}): Uploader {
  const { logger, lines } = captureLogger();
  logLines = lines;
  const uploader = new Uploader({
    outbox: store.outbox,
    client: options.client ?? client,
    link,
    stats,
    config: uploadSchema.parse({ maxRowsPerSecond: 0, ...config }),
    logger,
    now: () => clock.nowTs,
    random: () => 0.5,
  });
  uploaders.push(uploader);
  return uploader;
}

function addDeviceEvent(ts: number, status: 'online' | 'offline'): void {
  store.writer.addDeviceEvent({ ts, device: 'meter', status, error: null });
  store.commitAt(ts);
}

/** Calls `uploadOnce` until the outbox is empty, at most `limit` times, and returns every step. */
async function drain(uploader: Uploader, limit = 50): Promise<UploadStep[]> {
  const steps: UploadStep[] = [];
  for (let i = 0; i < limit; i++) {
    const step = await uploader.uploadOnce();
    steps.push(step);
    if (step.result === 'idle') return steps;
  }
  throw new Error(`the outbox was not empty after ${limit} attempts: ${JSON.stringify(steps.slice(-3))}`);
}

describe('Uploader', () => {
  it('deletes the rows the hub acknowledged', async () => {
    feedPowerMinutes(store, START_TS, 3);
    addDeviceEvent(START_TS + 30_000, 'offline');
    hub.clockSkewMs = 45_000;

    const step = await createUploader().uploadOnce();

    expect(step).toEqual({ result: 'acked', waitMs: 0 });
    expect(queuedRollups(store.db)).toEqual([]);
    expect(queuedEvents(store.db)).toEqual([]);
    expect(hub.rowsOf(POWER, '1m').map((row) => row[0])).toEqual([START_TS, START_TS + MINUTE_MS, START_TS + 2 * MINUTE_MS]);
    expect(hub.rowsOf(POWER, '1m')[1]).toEqual([START_TS + MINUTE_MS, START_TS + 2 * MINUTE_MS, 6, 6, 1, 1, 1, START_TS + MINUTE_MS + 50_000, null, 0, 1]);
    expect([...hub.events.values()].map((event) => event.payload)).toEqual([{ device: 'meter', status: 'offline', error: null }]);
    expect(hub.storedBatches[0]!.sentAt).toBe(NOW_TS);
    expect(link.lastAckAt).toBe(NOW_TS);
    expect(link.clockSkewMs).toBe(45_000);
    expect(stats.batches.acked).toBe(1);
    expect(stats.rollupRowsAcked).toBe(3);
  });

  it('keeps the rows when the request fails', async () => {
    feedPowerMinutes(store, START_TS, 2);
    hub.script.push({ status: 500 });
    const uploader = createUploader();

    const failed = await uploader.uploadOnce();

    expect(failed.result).toBe('failed');
    expect(failed.waitMs).toBeGreaterThanOrEqual(1000);
    expect(queuedRollups(store.db)).toHaveLength(2);
    expect(link.lastError).toMatch(/500/);
    expect(await uploader.uploadOnce()).toEqual({ result: 'acked', waitMs: 0 });
    expect(queuedRollups(store.db)).toEqual([]);
    expect(link.lastError).toBeNull();
  });

  it('keeps the rows when the hub cannot be reached', async () => {
    feedPowerMinutes(store, START_TS, 1);
    await hub.close();

    const step = await createUploader().uploadOnce();

    expect(step.result).toBe('failed');
    expect(queuedRollups(store.db)).toHaveLength(1);
    expect(link.lastError).toMatch(/cannot reach the cloud hub/);
    hub = await TestHub.start();
  });

  it('resends a batch whose ack was lost, stored once', async () => {
    feedPowerMinutes(store, START_TS, 2);
    addDeviceEvent(START_TS, 'online');
    hub.script.push('commit-without-ack');
    const uploader = createUploader();

    expect((await uploader.uploadOnce()).result).toBe('failed');
    expect(queuedEvents(store.db), 'kept without an ack').toHaveLength(1);
    expect((await uploader.uploadOnce()).result).toBe('acked');

    expect(hub.storedBatches).toHaveLength(2);
    expect(hub.events.size).toBe(1);
    expect(hub.rowsOf(POWER, '1m')).toHaveLength(2);
    expect(queuedEvents(store.db)).toEqual([]);
  });

  it('sends events before rollups, oldest first', async () => {
    feedPowerMinutes(store, START_TS, 3);
    addDeviceEvent(START_TS + 1000, 'online');
    addDeviceEvent(START_TS + 2000, 'offline');
    addDeviceEvent(START_TS + 3000, 'online');

    await drain(createUploader({ batchEvents: 2, batchRollupRows: 2 }));

    const batches = hub.storedBatches.map((batch) => ({
      events: batch.events.map((event) => event.at),
      rollups: batch.rollups.flatMap((series) => series.rows.map((row) => row[0])),
    }));
    // Two batches are in flight at once, so the hub may store them in either order.
    expect(batches).toHaveLength(3);
    expect(batches).toEqual(
      expect.arrayContaining([
        { events: [START_TS + 1000, START_TS + 2000], rollups: [] },
        { events: [START_TS + 3000], rollups: [START_TS, START_TS + MINUTE_MS] },
        { events: [], rollups: [START_TS + 2 * MINUTE_MS] },
      ]),
    );
  });

  it('reports no oldest time once the queue is empty', async () => {
    feedPowerMinutes(store, START_TS, 2);

    await createUploader().uploadOnce();

    expect(hub.storedBatches[0]!.backlog).toEqual({ events: 0, rollups: 0, oldestUnsentAt: null });
  });

  it('replaces characters the hub cannot store', async () => {
    writeAuditEntry(store.db, { actorType: 'user', actorId: null, action: 'auth.login_failed', details: { username: 'evil\ud800name\u0000' } });

    await createUploader().uploadOnce();

    const [event] = [...hub.events.values()];
    expect(event!.payload).toMatchObject({ details: { username: 'evil\ufffdname\ufffd' } });
  });

  it('builds the next batch during a request', async () => {
    // One batch in flight, so each request gets its response before the next one is sent.
    feedPowerMinutes(store, START_TS, 4);
    const queuedDuringRequests: number[][] = [];
    const observing: Pick<HubClient, 'request'> = {
      request: async (path, init) => {
        // The second batch is stored, but its acknowledgement is lost.
        if (queuedDuringRequests.length === 1) hub.script.push('commit-without-ack');
        const response = await client.request(path, init);
        // The next batch is read while this one is on its way, so yield once before the response arrives.
        await new Promise((resolve) => setImmediate(resolve));
        queuedDuringRequests.push(queuedRollups(store.db, '1m').map((row) => row.bucket_start));
        return response;
      },
    };
    await drain(createUploader({ batchRollupRows: 1, maxUploadsInFlight: 1 }, { client: observing }));

    const sent = hub.storedBatches.map((batch) => batch.rollups.flatMap((series) => series.rows.map((row) => row[0])));
    expect(sent).toEqual([[START_TS], [START_TS + MINUTE_MS], [START_TS + MINUTE_MS], [START_TS + 2 * MINUTE_MS], [START_TS + 3 * MINUTE_MS]]);
    expect(hub.rowsOf(POWER, '1m')).toHaveLength(4);
    expect(queuedRollups(store.db, '1m')).toEqual([]);
    expect(queuedDuringRequests[0], 'rows stay queued until the ack').toHaveLength(4);
  });

  it('reports the backlog left after each batch', async () => {
    feedPowerMinutes(store, START_TS, 3);
    addDeviceEvent(START_TS + 90_000, 'online');

    await createUploader({ batchEvents: 1 }).uploadOnce();

    const eventBatch = hub.storedBatches.find((batch) => batch.events.length > 0);
    expect(eventBatch!.backlog, 'the end of the first 1 min bucket').toEqual({ events: 0, rollups: 3, oldestUnsentAt: START_TS + MINUTE_MS });
  });

  it('keeps a row queued again while its batch was in flight', async () => {
    feedPowerMinutes(store, START_TS, 2);
    const requeueing: Pick<HubClient, 'request'> = {
      request: async (path, init) => {
        // A late sample raises the first minute's revision while the batch is on its way.
        addSample(store, meterSample('power', START_TS + 30_000, 100));
        store.commitAt(START_TS + 2 * MINUTE_MS + 6_000);
        return client.request(path, init);
      },
    };

    await createUploader({}, { client: requeueing }).uploadOnce();

    expect(queuedRollups(store.db, '1m').map((row) => row.bucket_start)).toEqual([START_TS]);
    await createUploader().uploadOnce();
    expect(hub.rowsOf(POWER, '1m')[0]![10], 'revision on the hub').toBe(2);
    expect(hub.rowsOf(POWER, '1m')[0]![5], 'max on the hub').toBe(100);
  });

  it('halves the batch on 413 until it fits', async () => {
    await hub.close();
    hub = await TestHub.start({ maxBodyBytes: 3_000 });
    client = await createTestHubClient(hub);
    feedPowerMinutes(store, START_TS, 60);
    const queued = queuedRollups(store.db).length;
    const uploader = createUploader();

    const steps = await drain(uploader);

    expect(steps.filter((step) => step.result === 'too_large').length).toBeGreaterThan(0);
    expect(hub.rowsOf(POWER, '1m')).toHaveLength(60);
    expect(hub.storedBatches.reduce((sum, batch) => sum + batch.rollups.reduce((rows, series) => rows + series.rows.length, 0), 0)).toBe(queued);
    expect(uploader.batchLimits.rollupRows).toBeLessThan(queued);
    expect(logLines.some((line) => line.level === 40 && /413/.test(line.msg))).toBe(true);
  });

  it('tries the configured size again after 10 minutes', async () => {
    await hub.close();
    hub = await TestHub.start({ maxBodyBytes: 3_000 });
    client = await createTestHubClient(hub);
    feedPowerMinutes(store, START_TS, 60);
    const uploader = createUploader();
    await uploader.uploadOnce();
    expect(uploader.batchLimits.rollupRows, 'after the 413').toBeLessThan(10_000);

    clock.nowTs += 10 * MINUTE_MS;
    hub.maxBodyBytes = 1024 * 1024;
    const batchesBefore = hub.storedBatches.length;
    expect((await uploader.uploadOnce()).result).toBe('acked');

    expect(uploader.batchLimits.rollupRows).toBe(10_000);
    expect(hub.storedBatches.length - batchesBefore, 'the rest in one batch').toBe(1);
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('keeps a single item the hub finds too large', async () => {
    await hub.close();
    hub = await TestHub.start({ maxBodyBytes: 100 });
    client = await createTestHubClient(hub);
    addDeviceEvent(START_TS, 'online');
    const [event] = queuedEvents(store.db);

    const step = await createUploader().uploadOnce();

    expect(step.result).toBe('too_large');
    expect(step.waitMs).toBeGreaterThan(0);
    expect(queuedEvents(store.db)).toHaveLength(1);
    const error = logLines.find((line) => line.level === 50);
    expect(error?.msg).toContain(`event ${event!.id}`);
  });

  it('keeps a batch the hub rejects as invalid', async () => {
    feedPowerMinutes(store, START_TS, 1);
    hub.script.push({ status: 400, code: 'invalid_batch' });

    const step = await createUploader().uploadOnce();

    expect(step.result).toBe('rejected');
    expect(step.waitMs).toBeGreaterThan(0);
    expect(queuedRollups(store.db)).toHaveLength(1);
    expect(stats.batches.rejected).toBe(1);
    expect(logLines.some((line) => /rejected batch/.test(line.msg))).toBe(true);
  });

  it('leaves out a row the contract rejects', async () => {
    // A device clock that was never set stamps samples near 1970.
    const unsetClockTs = 120_000;
    addSample(store, meterSample('voltage', unsetClockTs, 230));
    feedPowerMinutes(store, START_TS, 1);

    expect((await createUploader().uploadOnce()).result).toBe('acked');

    expect(hub.rowsOf('meter.voltage', '1m')).toEqual([]);
    expect(hub.rowsOf(POWER, '1m')).toHaveLength(1);
    expect(stats.unsendable).toBeGreaterThan(0);
    expect(queuedRollups(store.db)).toEqual([]);
    expect(logLines.some((line) => line.level === 40 && /hub would reject/.test(line.msg))).toBe(true);
  });

  it('waits the Retry-After of a 429', async () => {
    feedPowerMinutes(store, START_TS, 1);
    hub.script.push({ status: 429, retryAfterS: 7 });

    const step = await createUploader().uploadOnce();

    expect(step).toEqual({ result: 'throttled', waitMs: 7_000 });
    expect(queuedRollups(store.db)).toHaveLength(1);
    expect(stats.batches.throttled).toBe(1);
  });

  it('bounds the Retry-After of a 503 to 5 minutes', async () => {
    feedPowerMinutes(store, START_TS, 1);
    hub.script.push({ status: 503, retryAfterS: 3600 });

    expect(await createUploader().uploadOnce()).toEqual({ result: 'throttled', waitMs: 300_000 });
  });

  it('sleeps the Retry-After in its loop', async () => {
    feedPowerMinutes(store, START_TS, 1);
    hub.script.push({ status: 429, retryAfterS: 7 });
    const waits: number[] = [];
    let reportIdle: () => void = () => {};
    const idle = new Promise<void>((resolve) => (reportIdle = resolve));
    const { logger } = captureLogger();
    const uploader = new Uploader({
      outbox: store.outbox,
      client,
      link,
      stats,
      config: uploadSchema.parse({ maxRowsPerSecond: 0, idleIntervalMs: 1000 }),
      logger,
      now: () => NOW_TS,
      sleep: async (ms) => {
        waits.push(ms);
        // The idle wait means the outbox is empty.
        if (ms === 1000) reportIdle();
        await new Promise((resolve) => setImmediate(resolve));
      },
    });

    uploader.start();
    await idle;
    await uploader.stop();

    expect(waits[0]).toBe(7_000);
    expect(hub.requests).toBe(2);
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('ends its idle wait when woken', async () => {
    const { logger } = captureLogger();
    let reportIdle: () => void = () => {};
    let idle = new Promise<void>((resolve) => (reportIdle = resolve));
    const uploader = new Uploader({
      outbox: store.outbox,
      client,
      link,
      stats,
      config: uploadSchema.parse({ maxRowsPerSecond: 0, idleIntervalMs: 600_000 }),
      logger,
      now: () => NOW_TS,
      // An idle wait that only an abort ends, so the test passes only if wake() ends it.
      sleep: (_ms, signal) =>
        new Promise<void>((resolve) => {
          reportIdle();
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    uploaders.push(uploader);

    uploader.start();
    await idle;
    idle = new Promise<void>((resolve) => (reportIdle = resolve));
    addDeviceEvent(START_TS, 'offline');
    uploader.wake();
    await idle;

    expect(hub.requests).toBe(1);
    expect(stats.eventsAcked).toBe(1);
  });

  it('paces batches to maxRowsPerSecond', async () => {
    feedPowerMinutes(store, START_TS, 3);

    expect(await createUploader({ maxRowsPerSecond: 10 }).uploadOnce()).toEqual({ result: 'acked', waitMs: 300 });
  });

  it('stops for good when the hub revoked the edge', async () => {
    feedPowerMinutes(store, START_TS, 1);
    hub.script.push({ status: 401, code: EDGE_REVOKED_CODE });

    const step = await createUploader().uploadOnce();

    expect(step.result).toBe('revoked');
    expect(stats.revoked).toBe(true);
    expect(queuedRollups(store.db)).toHaveLength(1);
    expect(logLines.find((line) => line.level === 50)?.msg).toMatch(/edge-node pair --force/);
  });

  it('aborts the request in flight on stop and keeps its rows', async () => {
    feedPowerMinutes(store, START_TS, 2);
    hub.script.push('hang');
    const uploader = createUploader();

    uploader.start();
    while (hub.requests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await uploader.stop();

    expect(queuedRollups(store.db)).toHaveLength(2);
    expect(stats.batches.acked).toBe(0);
  });
});
