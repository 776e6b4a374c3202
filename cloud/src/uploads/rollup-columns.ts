import type { RollupSeries } from '@simtestlab/sync';
import { HttpError } from '../api/http-error';

/** Largest value of a Postgres integer column (count, revision). */
const MAX_INT4 = 2_147_483_647;

/** A series of the batch: one point at one resolution. */
export interface BatchSeries {
  point: string;
  resolution: string;
}

/** The rollup rows of a batch as one array per column, the shape that `unnest` turns back into rows. */
export interface RollupColumns {
  /** The distinct series of the batch. */
  series: BatchSeries[];
  /** Position in `series` of each row's series. */
  seriesIndex: number[];
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
    series: [],
    seriesIndex: [],
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
  // Position of each series, and row index of each bucket by series and then bucket start.
  const positionOfSeries = new Map<string, number>();
  const indexOfBucket: Map<number, number>[] = [];

  series.forEach(({ point, resolution, rows }, seriesIndex) => {
    const seriesKey = `${resolution} ${point}`;
    let position = positionOfSeries.get(seriesKey);
    if (position === undefined) {
      position = columns.series.length;
      positionOfSeries.set(seriesKey, position);
      columns.series.push({ point, resolution });
      indexOfBucket.push(new Map());
    }
    const indexOfStart = indexOfBucket[position]!;
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
      indexOfStart.set(bucketStartMs, columns.seriesIndex.length);
      columns.seriesIndex.push(position);
      writeRow(columns, columns.seriesIndex.length - 1, row);
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
