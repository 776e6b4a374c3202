import type { MeterResult } from './report-flows';

/**
 * Notes about the meters of a report that the reader should check: points that gave no energy, low
 * coverage, counter resets and counter growth that fell into long gaps.
 */

/** Coverage below which a meter gets a warning. */
export const LOW_COVERAGE = 0.95;

const formatKwh = (wh: number): string => `${(wh / 1000).toFixed(3)} kWh`;

/**
 * Returns the end of the time whose coverage is judged. A period that ended by `now` is judged whole, so
 * an outage at its end is flagged. A running period is judged up to the newest sample of any meter (the
 * latest `lastTs` of a row with samples), at most `now`, so today's report does not flag the hours still
 * to come. Edge and hub judge a past period alike whatever their clocks, because only its end matters.
 */
export function dataEndOf(results: readonly MeterResult[], rangeStart: number, rangeEnd: number, now: number): number {
  if (now >= rangeEnd) return rangeEnd;
  const limit = Math.max(rangeStart, now);
  let end = rangeStart;
  for (const { meter } of results) {
    for (let i = meter.rows.length - 1; i >= 0; i--) {
      const row = meter.rows[i]!;
      if (row.count > 0 || row.last !== null) {
        end = Math.max(end, Math.min(row.lastTs ?? row.end, limit));
        break;
      }
    }
  }
  return end;
}

/**
 * Returns the covered share of the time from the first source bucket to `dataEnd`. The bucket that
 * `dataEnd` cuts counts only up to it, and its coverage is taken to lie at its start, where the data of a
 * running period is.
 */
function coverageUntil(result: MeterResult, boundaries: readonly number[], dataEnd: number): number {
  let coveredMs = 0;
  let spanMs = 0;
  for (let i = 0; i + 1 < boundaries.length && boundaries[i]! < dataEnd; i++) {
    const durationMs = boundaries[i + 1]! - boundaries[i]!;
    const judgedMs = Math.min(boundaries[i + 1]!, dataEnd) - boundaries[i]!;
    coveredMs += Math.min(result.coverage[i]! * durationMs, judgedMs);
    spanMs += judgedMs;
  }
  return spanMs === 0 ? 0 : coveredMs / spanMs;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/**
 * Formats the judged coverage as text. A running period is judged only up to `dataEnd`, so its text also gives the
 * share of the whole period, which is the report's `meters[].coverage`.
 */
function coverageShares(judged: number, result: MeterResult, boundaries: readonly number[], dataEnd: number): string {
  const periodEnd = boundaries[boundaries.length - 1]!;
  if (dataEnd >= periodEnd) return `${percent(judged)} of the period`;
  const whole = coverageUntil(result, boundaries, periodEnd);
  return `${percent(judged)} of the period up to the newest reading of any meter (${percent(whole)} of the whole period)`;
}

/** Lists the warnings about the meters, each naming the meter and what to check. `now` is as in `dataEndOf`. */
export function meterWarnings(results: readonly MeterResult[], boundaries: readonly number[], maxGapMs: number, now: number): string[] {
  const warnings: string[] = [];
  const dataEnd = dataEndOf(results, boundaries[0]!, boundaries[boundaries.length - 1]!, now);

  for (const result of results) {
    const { meter, series } = result;
    if (series.problem !== null) {
      warnings.push(series.problem);
      continue;
    }
    if (result.method === 'none') {
      warnings.push(`meter "${meter.id}" has no readings in the period: check that device "${meter.device}" is online and the point is polled`);
      continue;
    }
    const coverage = coverageUntil(result, boundaries, dataEnd);
    if (coverage < LOW_COVERAGE) {
      const gaps = series.gaps.length === 0 ? '' : ` and ${series.gaps.length} gap(s)`;
      warnings.push(`meter "${meter.id}" covers ${coverageShares(coverage, result, boundaries, dataEnd)}${gaps}: check the connection of device "${meter.device}" in those hours`);
    }
    if (series.resets > 0) {
      warnings.push(`counter "${meter.id}" dropped ${series.resets} time(s), counted as a reset or rollover: check whether the meter was replaced or reset`);
    }
    if ((series.unattributedWh ?? 0) > 0) {
      warnings.push(
        `counter "${meter.id}" grew by ${formatKwh(series.unattributedWh!)} across gaps longer than ${maxGapMs / 3_600_000} h, which no bucket received: check the device's connection during the gaps`,
      );
    }
  }
  return warnings;
}
