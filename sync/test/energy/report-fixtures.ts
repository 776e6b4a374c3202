import {
  computeEnergyReport,
  energyReportSchema,
  periodRangeFromQuery,
  reportRowWindow,
  siteEnergySettingsSchema,
  type EnergyReport,
  type EnergyReportInput,
  type MeterRole,
  type PeriodKind,
  type PeriodRange,
  type ReportMeterInput,
  type ReportRollupRow,
} from '../../src/index';

/** Builders for energy report inputs: periods, rollup rows of power points and counters, settings. */

export const MINUTE = 60_000;
export const QUARTER = 15 * MINUTE;
export const HOUR = 60 * MINUTE;

export const utc = (iso: string): number => Date.parse(iso);

/** Returns the period of `kind` that contains the local day `date` in `timeZone`. */
export function period(kind: Exclude<PeriodKind, 'custom'>, date: string, timeZone: string): PeriodRange {
  return periodRangeFromQuery({ period: kind, date }, timeZone);
}

export interface MeterSpec {
  id: string;
  role: MeterRole | null;
  unit: ReportMeterInput['unit'];
  kind?: ReportMeterInput['kind'];
  device?: string;
  nodeId?: string | null;
}

function meterInput(spec: MeterSpec, kind: ReportMeterInput['kind'], rows: ReportRollupRow[]): ReportMeterInput {
  const device = spec.device ?? spec.id.split('.')[0]!;
  return { id: spec.id, device, name: spec.id, role: spec.role, unit: spec.unit, kind: spec.kind ?? kind, nodeId: spec.nodeId ?? null, rows };
}

/** Starts of the rows a loader returns for `range`: every `stepMs` from the row window's start. */
function rowStarts(range: PeriodRange, stepMs: number): number[] {
  const window = reportRowWindow(range);
  const starts: number[] = [];
  for (let start = window.from; start < window.to; start += stepMs) starts.push(start);
  return starts;
}

/**
 * Builds a power point with one row per `stepMs`. `powerAt(rowStart)` gives the mean in the point's unit,
 * null for a row without samples, or undefined for a missing row. Each row contains 15 samples of that mean.
 */
export function powerMeter(spec: MeterSpec, range: PeriodRange, powerAt: (start: number) => number | null | undefined, stepMs = QUARTER): ReportMeterInput {
  const rows = rowStarts(range, stepMs).flatMap((start): ReportRollupRow[] => {
    const mean = powerAt(start);
    if (mean === undefined) return [];
    if (mean === null) return [{ start, end: start + stepMs, count: 0, sum: null, last: null, lastTs: null }];
    return [{ start, end: start + stepMs, count: 15, sum: mean * 15, last: mean, lastTs: start + stepMs - MINUTE }];
  });
  return meterInput(spec, 'gauge', rows);
}

/**
 * Builds a counter with one row per `stepMs` whose last reading is one minute before the row ends.
 * `valueAt(lastTs)` gives the counter value in the point's unit, or undefined for a missing row.
 */
export function counterMeter(spec: MeterSpec, range: PeriodRange, valueAt: (ts: number) => number | undefined, stepMs = QUARTER): ReportMeterInput {
  const rows = rowStarts(range, stepMs).flatMap((start): ReportRollupRow[] => {
    const lastTs = start + stepMs - MINUTE;
    const value = valueAt(lastTs);
    if (value === undefined) return [];
    return [{ start, end: start + stepMs, count: 15, sum: value * 15, last: value, lastTs }];
  });
  return meterInput(spec, 'counter', rows);
}

/** A counter value growing at `kwhPerHour` from `origin`, in kWh. */
export const linearKwh = (origin: number, kwhPerHour: number) => (ts: number): number => ((ts - origin) / HOUR) * kwhPerHour;

export const settings = (input: unknown = {}) => siteEnergySettingsSchema.parse(input);

/** Computes a report for a site in `range`'s zone and checks it against the schema. */
export function report(range: PeriodRange, meters: readonly ReportMeterInput[], extra: Partial<EnergyReportInput> = {}): EnergyReport {
  const result = computeEnergyReport({
    site: { id: 'site-1', name: 'Test site', timeZone: range.timeZone },
    currency: 'EUR',
    settings: settings(),
    nodes: [],
    meters,
    range,
    ...extra,
  });
  return energyReportSchema.parse(result);
}

export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
