import { sampleSchema, type Quality, type Sample, type SampleValue } from '@simtestlab/sync';
import type { AppDeps } from '../api/env';
import type { TransactionSql } from '../db/connect';
import { siteLastValuesKey } from '../live/redis-keys';
import type { Logger } from '../logger';
import { readStoredValues, storedQuality, STORED_VALUE_STALE_AFTER_MS } from './stored-values';

/** The Redis connection and key prefix under which the live relay keeps last values. */
export type LiveStore = Pick<AppDeps, 'redis' | 'redisPrefix'>;

/** The newest value the hub has of one point, from the live relay or from the stored rollups. */
export interface LatestValue {
  value: SampleValue;
  quality: Quality;
  ts: number;
  source: 'live' | 'rollup';
}

/**
 * Reads the last samples the live relay kept in Redis for a site (all of them, or only `points`).
 * An entry that is not a valid sample is logged and skipped.
 */
async function readLiveValues(deps: LiveStore, logger: Logger, siteId: string, points?: readonly string[]): Promise<Map<string, Sample>> {
  const key = siteLastValuesKey(deps.redisPrefix, siteId);
  let texts: (string | null)[];
  if (points === undefined) texts = Object.values(await deps.redis.hgetall(key));
  else if (points.length === 0) texts = [];
  else texts = await deps.redis.hmget(key, ...points);
  const samples = new Map<string, Sample>();
  for (const text of texts) {
    if (text === null) continue;
    try {
      const sample = sampleSchema.parse(JSON.parse(text));
      samples.set(sample.point, sample);
    } catch (error) {
      logger.warn({ err: error, siteId, value: text.slice(0, 200) }, 'invalid last value in Redis; skipping it');
    }
  }
  return samples;
}

/** Marks a good live sample stale once it is older than a stored value may be. */
function liveQuality(sample: Sample, nowMs: number): Quality {
  return sample.quality === 'good' && nowMs - sample.ts > STORED_VALUE_STALE_AFTER_MS ? 'stale' : sample.quality;
}

/**
 * Reads the newest value of each point of a site (or only of `points`): the live relay's last sample or
 * the last value of the newest stored minute rollup, whichever is newer. Points with neither are absent.
 */
export async function readLatestValues(
  deps: LiveStore,
  logger: Logger,
  tx: TransactionSql,
  siteId: string,
  nowMs: number,
  points?: readonly string[],
): Promise<Map<string, LatestValue>> {
  const [stored, live] = await Promise.all([readStoredValues(tx, siteId, points), readLiveValues(deps, logger, siteId, points)]);
  const latest = new Map<string, LatestValue>();
  for (const [point, value] of stored) latest.set(point, { value: value.value, ts: value.ts, quality: storedQuality(value.ts, nowMs), source: 'rollup' });
  for (const [point, sample] of live) {
    const known = latest.get(point);
    if (known !== undefined && known.ts >= sample.ts) continue;
    latest.set(point, { value: sample.value, ts: sample.ts, quality: liveQuality(sample, nowMs), source: 'live' });
  }
  return latest;
}
