import { MAX_UPLOADS_IN_FLIGHT, type UploadBatch } from '@simtestlab/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient } from '../../src/cloud/hub-client';
import { LinkStatus } from '../../src/cloud/link-status';
import { uploadSchema, type UploadConfig } from '../../src/config/schema';
import { Uploader, type UploadStep } from '../../src/upload/uploader';
import { UploadStats } from '../../src/upload/upload-stats';
import { makeTempDir, type TempDir } from '../store/support/temp-store';
import { captureLogger, type LogLine } from '../sync/support/capture-logger';
import { createTestHubClient, TestHub, type ScriptedAnswer } from './support/test-hub';
import { feedPowerMinutes, openUploadStore, queuedEvents, queuedRollups, type UploadTestStore } from './support/upload-store';

const MINUTE_MS = 60_000;
const START_TS = Date.parse('2026-03-02T10:00:00Z');
const NOW_TS = START_TS + 10 * MINUTE_MS;
const POWER = 'meter.power';
/** How long a held request waits for its release before the hub responds anyway, so a test fails instead of hanging. */
const HOLD_TIMEOUT_MS = 2_000;

let dir: TempDir;
let store: UploadTestStore;
let hub: TestHub;
let client: HubClient;
let stats: UploadStats;
let logLines: LogLine[];
let clock: { nowTs: number };
let uploaders: Uploader[];

beforeEach(async () => {
  dir = makeTempDir('edge-upload-window-');
  store = openUploadStore(`${dir.path}/edge.db`);
  hub = await TestHub.start();
  client = await createTestHubClient(hub);
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

async function startHub(options: { maxUploadsPerEdge?: number }): Promise<void> {
  await hub.close();
  hub = await TestHub.start(options);
  client = await createTestHubClient(hub);
}

/** Creates an uploader that sends one rollup row per batch without a drain limit, so a few minutes make several batches. */
function createUploader(config: Partial<UploadConfig> = {}): Uploader {
  const { logger, lines } = captureLogger();
  logLines = lines;
  const uploader = new Uploader({
    outbox: store.outbox,
    client,
    link: new LinkStatus(),
    stats,
    config: uploadSchema.parse({ maxRowsPerSecond: 0, batchRollupRows: 1, ...config }),
    logger,
    now: () => clock.nowTs,
    random: () => 0.5,
  });
  uploaders.push(uploader);
  return uploader;
}

/** Resolves when `promise` does or after `timeoutMs`, whichever comes first. */
function atMostTimeout(promise: Promise<void>, timeoutMs = HOLD_TIMEOUT_MS): Promise<void> {
  return Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
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

const firstBucketOf = (batch: UploadBatch) => batch.rollups[0]?.rows[0]?.[0];
/** Returns a `TestHub.answerFor` that gives `answer` to the first batch starting at `bucketStart` and handles every other batch normally. */
function answerOnce(bucketStart: number, answer: ScriptedAnswer): (batch: UploadBatch) => ScriptedAnswer | undefined {
  let used = false;
  return (batch) => {
    if (used || firstBucketOf(batch) !== bucketStart) return undefined;
    used = true;
    return answer;
  };
}

const bucketStarts = (minutes: number[]) => minutes.map((minute) => START_TS + minute * MINUTE_MS);
const storedBucketStarts = () => hub.rowsOf(POWER, '1m').map((row) => row[0]);
const queuedBucketStarts = () => queuedRollups(store.db, '1m').map((row) => row.bucket_start);

describe('upload window', () => {
  it('sends two batches at once', async () => {
    feedPowerMinutes(store, START_TS, 3);
    hub.script.push({ holdUntil: atMostTimeout(hub.received(2)) });

    await drain(createUploader());

    expect(hub.maxInProgress, 'requests on the hub at once').toBe(2);
    expect(storedBucketStarts()).toEqual(bucketStarts([0, 1, 2]));
    expect(hub.storedBatches, 'each batch sent once').toHaveLength(3);
    expect(stats.rollupRowsAcked).toBe(3);
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('sends one batch at a time when configured', async () => {
    feedPowerMinutes(store, START_TS, 3);
    // The second request must not come while the first is held.
    hub.script.push({ holdUntil: atMostTimeout(hub.received(2), 200) });

    await drain(createUploader({ maxUploadsInFlight: 1 }));

    expect(hub.maxInProgress).toBe(1);
    expect(storedBucketStarts()).toEqual(bucketStarts([0, 1, 2]));
  });

  it('deletes nothing when the first fails', async () => {
    feedPowerMinutes(store, START_TS, 4);
    hub.answerFor = answerOnce(START_TS, { holdUntil: atMostTimeout(hub.responded(1)), then: { status: 500 } });
    const uploader = createUploader();

    const failed = await uploader.uploadOnce();

    expect(failed.result).toBe('failed');
    expect(hub.storedBatches.map(firstBucketOf), 'the second batch, stored').toEqual(bucketStarts([1]));
    expect(queuedBucketStarts(), 'the second batch stays queued').toEqual(bucketStarts([0, 1, 2, 3]));
    expect(stats.batches.acked).toBe(0);

    await drain(uploader);

    expect(storedBucketStarts()).toEqual(bucketStarts([0, 1, 2, 3]));
    expect(stats.rollupRowsAcked, 'each row acknowledged once').toBe(4);
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('deletes the first when the second fails', async () => {
    feedPowerMinutes(store, START_TS, 4);
    // The second batch fails once the third, sent after the first was acknowledged, is stored.
    const holdFirst = answerOnce(START_TS, { holdUntil: atMostTimeout(hub.received(2)) });
    const failSecond = answerOnce(START_TS + MINUTE_MS, { holdUntil: atMostTimeout(hub.responded(2)), then: { status: 500 } });
    hub.answerFor = (batch) => holdFirst(batch) ?? failSecond(batch);
    const uploader = createUploader();

    expect((await uploader.uploadOnce()).result).toBe('acked');
    expect(queuedBucketStarts()).toEqual(bucketStarts([1, 2, 3]));
    expect((await uploader.uploadOnce()).result).toBe('failed');
    expect(hub.storedBatches.map(firstBucketOf), 'the third batch, stored').toContain(START_TS + 2 * MINUTE_MS);
    expect(queuedBucketStarts(), 'the third batch stays queued').toEqual(bucketStarts([1, 2, 3]));

    await drain(uploader);

    expect(storedBucketStarts()).toEqual(bucketStarts([0, 1, 2, 3]));
    expect(stats.rollupRowsAcked).toBe(4);
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('falls back to one in flight on upload_in_progress', async () => {
    await startHub({ maxUploadsPerEdge: 1 });
    feedPowerMinutes(store, START_TS, 5);
    hub.script.push({ holdUntil: atMostTimeout(hub.received(2)) });
    const uploader = createUploader();

    const steps = await drain(uploader);

    expect(steps).toContainEqual({ result: 'throttled', waitMs: 0 });
    expect(uploader.uploadsInFlightLimit).toBe(1);
    expect(stats.batches.throttled, 'batches the hub declined').toBe(1);
    expect(logLines.filter((line) => line.level === 30 && /one upload at a time/.test(line.msg))).toHaveLength(1);
    expect(storedBucketStarts()).toEqual(bucketStarts([0, 1, 2, 3, 4]));
    expect(queuedRollups(store.db)).toEqual([]);
  });

  it('reports the backlog with two batches in flight', async () => {
    feedPowerMinutes(store, START_TS, 3);
    for (const status of ['online', 'offline', 'online'] as const) {
      store.writer.addDeviceEvent({ ts: START_TS + 1000, device: 'meter', status, error: null });
      store.commitAt(START_TS + 3 * MINUTE_MS + 6_000);
    }
    hub.script.push({ holdUntil: atMostTimeout(hub.received(2)) });

    await drain(createUploader({ batchEvents: 2, batchRollupRows: 2 }));

    const sent = hub.storedBatches.map((batch) => ({
      events: batch.events.length,
      rollups: batch.rollups.reduce((rows, series) => rows + series.rows.length, 0),
      backlog: { events: batch.backlog.events, rollups: batch.backlog.rollups },
    }));
    // The first batch is stored after the second, which arrived while it was held.
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(
      expect.arrayContaining([
        { events: 2, rollups: 0, backlog: { events: 1, rollups: 3 } },
        { events: 1, rollups: 2, backlog: { events: 0, rollups: 1 } },
        { events: 0, rollups: 1, backlog: { events: 0, rollups: 0 } },
      ]),
    );
    expect(hub.events.size).toBe(3);
    expect(queuedEvents(store.db)).toEqual([]);
  });

  it('keeps the drain rate across the window', async () => {
    feedPowerMinutes(store, START_TS, 3);
    const uploader = createUploader({ maxRowsPerSecond: 10 });

    expect(await uploader.uploadOnce()).toEqual({ result: 'acked', waitMs: 100 });
    expect(hub.requests, 'the second batch waits for its turn').toBe(1);

    clock.nowTs += 100;
    expect(await uploader.uploadOnce()).toEqual({ result: 'acked', waitMs: 100 });
    expect(hub.requests).toBe(2);
  });

  it('aborts every request in flight on stop', async () => {
    feedPowerMinutes(store, START_TS, 3);
    hub.script.push('hang', 'hang');
    const uploader = createUploader();

    uploader.start();
    await hub.received(2);
    await uploader.stop();

    expect(queuedBucketStarts()).toEqual(bucketStarts([0, 1, 2]));
    expect(stats.batches.acked).toBe(0);
    expect(hub.requests).toBe(2);
  });
});

describe('maxUploadsInFlight', () => {
  it('defaults to the contract maximum', () => {
    expect(uploadSchema.parse({}).maxUploadsInFlight).toBe(MAX_UPLOADS_IN_FLIGHT);
  });

  it.each([0, MAX_UPLOADS_IN_FLIGHT + 1, 1.5])('rejects %s', (value) => {
    expect(uploadSchema.safeParse({ maxUploadsInFlight: value }).success).toBe(false);
  });
});
