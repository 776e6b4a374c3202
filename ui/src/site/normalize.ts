import type { MeterRole, PointControl, PointKind, DataType, Quality, QualityReason, SampleValue, SiteKpis } from '@simtestlab/sync';
import type { Reading } from '../live/live-values';
import type { HistoryRow, SitePoint } from './site-api';

/** A point definition as both APIs return it, with or without a latest value. */
export interface PointDefinition {
  key: string;
  name?: string | undefined;
  unit?: string | undefined;
  kind?: PointKind | undefined;
  dataType?: DataType | undefined;
  writable?: boolean | undefined;
  min?: number | undefined;
  max?: number | undefined;
  control?: PointControl | undefined;
  role?: MeterRole | undefined;
}

export function readingOf(value: SampleValue | undefined, ts: number | null | undefined, quality: Quality | string | null | undefined, reason?: string | null): Reading | null {
  if (ts === null || ts === undefined || quality === null || quality === undefined) return null;
  return { value: value ?? null, ts, quality: quality as Quality, reason: (reason ?? undefined) as QualityReason | undefined };
}

export function sitePointOf(device: string, definition: PointDefinition, reading: Reading | null): SitePoint {
  return {
    id: `${device}.${definition.key}`,
    device,
    key: definition.key,
    name: definition.name ?? definition.key,
    unit: definition.unit ?? '',
    kind: definition.kind ?? 'gauge',
    dataType: definition.dataType ?? 'float32',
    writable: definition.writable ?? false,
    min: definition.min,
    max: definition.max,
    control: definition.control,
    role: definition.role,
    reading,
  };
}

/** A rollup bucket as a history row, stamped at the bucket's start. */
export function rollupRow(bucket: { start: number; min: number | null; max: number | null; delta: number | null; estimated: boolean }, mean: number | null): HistoryRow {
  return { ts: bucket.start, value: mean, min: bucket.min, max: bucket.max, delta: bucket.delta, quality: bucket.estimated ? 'estimated' : null };
}

/** KPIs with nothing known, for a summary that cannot compute them. */
export const EMPTY_KPIS: SiteKpis = {
  gridPowerW: { value: null, quality: null },
  pvPowerW: { value: null, quality: null },
  consumptionW: { value: null, quality: null },
  consumptionSource: null,
  energyToday: { consumedWh: null, pvWh: null, gridImportWh: null },
};
