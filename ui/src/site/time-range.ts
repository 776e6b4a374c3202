import type { TimeRange } from './site-api';

/** A wall-clock time in some time zone; `month` runs from 1 to 12. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Returns the wall-clock time in `timeZone` at the instant `ms` (epoch ms UTC). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function wallTimeAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Returns the zone's offset from UTC at the instant `ms`, in ms, rounded to whole seconds as the zone data is. */
function offsetAt(ms: number, timeZone: string): number {
  const instant = Math.floor(ms / 1000) * 1000;
  return wallTimeAsUtc(wallTimeAt(instant, timeZone)) - instant;
}

/**
 * Converts a wall-clock time in `timeZone` to epoch ms UTC. A time that occurs twice when the clocks go
 * back resolves to the earlier instant. A time skipped when the clocks go forward moves forward by the
 * length of the gap (02:30 in a 02:00 to 03:00 gap becomes 03:30), as JavaScript's own Date does.
 */
export function wallTimeToUtc(wall: WallTime, timeZone: string): number {
  const asUtc = wallTimeAsUtc(wall);
  // No zone changes its offset twice within 12 hours, so the offsets 12 h either side are the only candidates.
  const before = offsetAt(asUtc - 12 * 3_600_000, timeZone);
  const after = offsetAt(asUtc + 12 * 3_600_000, timeZone);
  const candidates = [asUtc - before, asUtc - after].filter((utc, index) => offsetAt(utc, timeZone) === (index === 0 ? before : after));
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses the value of a datetime-local input as a wall-clock time in `timeZone`, or returns null when it is empty or malformed. */
export function parseLocalInput(value: string, timeZone: string): number | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((field) => Number(field ?? 0));
  return wallTimeToUtc({ year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! }, timeZone);
}

/** Formats an instant as a datetime-local input value (to the minute) in `timeZone`. */
export function toLocalInput(ms: number, timeZone: string): string {
  const wall = wallTimeAt(ms, timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** Returns midnight in `timeZone` of the day `dayOffset` days after the day that contains `ms`. */
export function startOfDay(ms: number, timeZone: string, dayOffset = 0): number {
  const wall = wallTimeAt(ms, timeZone);
  // Date.UTC carries a day of 0 or 32 into the neighbouring month.
  const day = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + dayOffset));
  return wallTimeToUtc({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Returns midnight in `timeZone` of the first day of the month that contains `ms`. */
export function startOfMonth(ms: number, timeZone: string): number {
  const wall = wallTimeAt(ms, timeZone);
  return wallTimeToUtc({ year: wall.year, month: wall.month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
}

export const rangePresets = ['1h', '24h', '7d', '30d', 'today', 'yesterday', 'month'] as const;
export type RangePreset = (typeof rangePresets)[number];

export const RANGE_PRESET_LABELS: Record<RangePreset, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 h',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  today: 'Today',
  yesterday: 'Yesterday',
  month: 'This month',
};

const TRAILING_MS: Partial<Record<RangePreset, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && (rangePresets as readonly string[]).includes(value);
}

/** Computes the range a preset covers at `now`. Calendar presets follow the days of `timeZone`. */
export function presetRange(preset: RangePreset, now: number, timeZone: string): TimeRange {
  const trailing = TRAILING_MS[preset];
  if (trailing !== undefined) return { from: now - trailing, to: now };
  if (preset === 'today') return { from: startOfDay(now, timeZone), to: now };
  if (preset === 'yesterday') return { from: startOfDay(now, timeZone, -1), to: startOfDay(now, timeZone) };
  return { from: startOfMonth(now, timeZone), to: now };
}
