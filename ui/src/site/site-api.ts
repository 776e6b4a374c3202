import type {
  AlarmActionBody,
  AlarmHistoryFilter,
  AlarmStatus,
  AlarmTransition,
  AlarmUserAction,
  ControlLease,
  ControlResult,
  ControlWriteBody,
  DataType,
  EnergyReport,
  MeterRole,
  PointControl,
  PointKind,
  PeriodQuery,
  Resolution,
  SiteKpis,
  SyncStatus,
} from '@simtestlab/sync';
import type { Reading } from '../live/live-values';

/** A site node of the hierarchy below the site: building, area or system. */
export interface SiteNode {
  id: string;
  parentId: string | null;
  kind: 'building' | 'area' | 'system';
  name: string;
}

export type DeviceState = 'online' | 'offline' | 'unknown' | 'disabled';

/** Poll counters of a device since the edge started; the hub does not know them. */
export interface DevicePollStats {
  pollIntervalMs: number;
  polls: number;
  failures: number;
  timeouts: number;
  /** Duration of the last poll. */
  lastPollMs: number | null;
}

export interface SiteDevice {
  key: string;
  name: string;
  driver: string;
  status: DeviceState;
  lastError: string | null;
  /** The hierarchy node the device is placed under; null when it sits directly under the site. */
  nodeId: string | null;
  pointCount: number;
  poll: DevicePollStats | null;
}

export interface SitePoint {
  /** `device.point`, as the live streams and the history name it. */
  id: string;
  device: string;
  key: string;
  name: string;
  unit: string;
  kind: PointKind;
  dataType: DataType;
  writable: boolean;
  min?: number | undefined;
  max?: number | undefined;
  control?: PointControl | undefined;
  role?: MeterRole | undefined;
  reading: Reading | null;
}

/** The link between the edge and the hub, as reported by the server that serves the UI. */
export interface SiteLink {
  connected: boolean;
  /** On the edge, the hub's last response. In the hub, the edge's last request. */
  lastContactAt: number | null;
  /** Hub only: the newest telemetry stored for the site. */
  lastDataAt: number | null;
}

export interface SiteSummary {
  site: { id: string; name: string; timeZone: string };
  kpis: SiteKpis;
  alarms: { active: number; unacknowledged: number; bySeverity: Record<string, number> };
  devices: { total: number; online: number; offline: number; unknown: number; withBadPoints: number };
  nodes: SiteNode[];
  link: SiteLink | null;
}

export interface TimeRange {
  from: number;
  to: number;
}

/** One history bucket or raw sample, normalised so charts and tables need not care which API returned it. */
export interface HistoryRow {
  ts: number;
  /** Mean of the bucket, or the raw value. */
  value: number | null;
  min: number | null;
  max: number | null;
  /** Counter growth over the bucket. */
  delta: number | null;
  quality: string | null;
}

export interface PointHistory {
  point: string;
  resolution: Resolution;
  rows: HistoryRow[];
  truncated: boolean;
}

/** Download progress: bytes received, and the total when the server sends a Content-Length. */
export type Progress = (received: number, total: number | null) => void;

/** A download's progress callback and the signal that cancels it. */
export interface DownloadOptions {
  progress: Progress;
  signal: AbortSignal;
}

/** Outcome of an alarm action: the server's message and whether it only repeated an earlier acknowledgement. */
export interface AlarmActionOutcome {
  message: string;
  duplicate: boolean;
}

/** Tables of the energy report that the CSV export serves, as the `table` query parameter names them. */
export const energyCsvTables = ['buckets', 'meters', 'hierarchy', 'cost', 'virtual-meters', 'load-profile', 'indicators'] as const;
export type EnergyCsvTable = (typeof energyCsvTables)[number];

/**
 * Everything the site pages need, with one implementation per mode: the edge node's own API in local
 * mode and the hub's API in remote mode. Pages call this, never a URL.
 */
export interface SiteApi {
  readonly mode: 'edge' | 'cloud';
  readonly siteId: string;
  summary(): Promise<SiteSummary>;
  devices(): Promise<SiteDevice[]>;
  points(device?: string): Promise<SitePoint[]>;
  history(point: string, range: TimeRange, resolution: Resolution): Promise<PointHistory>;
  historyCsv(point: string, range: TimeRange, resolution: Resolution, download: DownloadOptions): Promise<Blob>;
  activeAlarms(): Promise<AlarmStatus[]>;
  alarmHistory(filter: Partial<AlarmHistoryFilter>): Promise<AlarmTransition[]>;
  alarmHistoryCsv(filter: Partial<AlarmHistoryFilter>, download: DownloadOptions): Promise<Blob>;
  /** Applies a user's action; a refusal is thrown as an ApiError with the server's code and message. */
  alarmAction(ruleId: string, action: AlarmUserAction, body: AlarmActionBody): Promise<AlarmActionOutcome>;
  /** The command's result, also when the edge refused it (`ok: false` with the code and message). */
  control(point: string, body: ControlWriteBody): Promise<ControlResult>;
  release(point: string): Promise<ControlResult>;
  /** Returns the leases in force. In remote mode these are only the leases of commands sent from this browser tab, because the hub does not store leases. */
  leases(): Promise<ControlLease[]>;
  syncStatus(): Promise<SyncStatus>;
  /** Loads the site's energy report for a period; the body is checked against the shared report schema. */
  energyReport(query: PeriodQuery): Promise<EnergyReport>;
  /** Downloads one table of the energy report as CSV; the server rejects viewers with 403. */
  energyReportCsv(query: PeriodQuery, table: EnergyCsvTable, download: DownloadOptions): Promise<Blob>;
}
