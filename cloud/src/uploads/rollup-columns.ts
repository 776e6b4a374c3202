import type { RollupSeries } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';

/** Largest value of a Postgres integer column (count, revision). */
const MAX_INT4 = 2_147_483_647;

/** The rollup rows of a batch as one array per column, the shape that `unnest` turns back into rows. */
export interface RollupColumns {
  point: string[];
  resolution: string[];
  bucketStartMs: number[];
  bucketEndMs: number[];
  count: number[];
  sum: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  last: (number | null)[];
  lastTsMs: (number | null)[];
  delta: (number | null)[];
  estimated: boolean[];
  revision: number[];
  /** Rows left out because the batch contains the same bucket again with a revision at least as high. */
  duplicates: number;
}

function outOfRange(path: string, value: number): HttpError {
  const message = `${path}: ${value} exceeds ${MAX_INT4}, the largest count or revision the hub stores`;
  return new HttpError(400, 'invalid_request', message, { parameter: path, issues: [{ path, message }] });
}

/**
 * Turns validated series into columns. A bucket that appears twice in one batch is kept once, with the
 * higher revision (the earlier row on a tie), because one upsert statement may not change a row twice.
 * Raises 400 naming the row when a count or revision does not fit a Postgres integer.
 */
export function toRollupColumns(series: readonly RollupSeries[]): RollupColumns {
  const columns: RollupColumns = {
    point: [],
    resolution: [],
    bucketStartMs: [],
    bucketEndMs: [],
    count: [],
    sum: [],
    min: [],
    max: [],
    last: [],
    lastTsMs: [],
    delta: [],
    estimated: [],
    revision: [],
    duplicates: 0,
  };
  // Row index of each bucket, by series (resolution and point) and then bucket start.
  const indexOfBucket = new Map<string, Map<number, number>>();

  series.forEach(({ point, resolution, rows }, seriesIndex) => {
    const seriesKey = `${resolution} ${point}`;
    let indexOfStart = indexOfBucket.get(seriesKey);
    if (indexOfStart === undefined) {
      indexOfStart = new Map();
      indexOfBucket.set(seriesKey, indexOfStart);
    }
    rows.forEach((row, rowIndex) => {
      const [bucketStartMs, , count] = row;
      const revision = row[10];
      if (count > MAX_INT4) throw outOfRange(`rollups.${seriesIndex}.rows.${rowIndex}.2`, count);
      if (revision > MAX_INT4) throw outOfRange(`rollups.${seriesIndex}.rows.${rowIndex}.10`, revision);

      const earlier = indexOfStart.get(bucketStartMs);
      if (earlier !== undefined) {
        columns.duplicates += 1;
        if (columns.revision[earlier]! >= revision) return;
        // A higher revision later in the batch replaces the earlier row in place.
        writeRow(columns, earlier, row);
        return;
      }
      indexOfStart.set(bucketStartMs, columns.point.length);
      columns.point.push(point);
      columns.resolution.push(resolution);
      writeRow(columns, columns.point.length - 1, row);
    });
  });
  return columns;
}

function writeRow(columns: RollupColumns, index: number, row: RollupSeries['rows'][number]): void {
  const [bucketStartMs, bucketEndMs, count, sum, min, max, last, lastTsMs, delta, estimated, revision] = row;
  columns.bucketStartMs[index] = bucketStartMs;
  columns.bucketEndMs[index] = bucketEndMs;
  columns.count[index] = count;
  columns.sum[index] = sum;
  columns.min[index] = min;
  columns.max[index] = max;
  columns.last[index] = last;
  columns.lastTsMs[index] = lastTsMs;
  columns.delta[index] = delta;
  columns.estimated[index] = estimated === 1;
  columns.revision[index] = revision;
}
